package dev.annonet.kernels;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a training step would take on more cores than this machine has, measured on this one:
 * a way to judge a 16- or 64-core server from a laptop.
 *
 * <p>For each thread count N, the kernel team is replaced by one that only pretends to have N
 * threads: every shared kernel (a product, a convolution, an optimizer update, a batch's
 * slices) is cut into exactly the parts it would get on N threads, and the parts run one after
 * the other on the calling thread, each timed. The step on N cores is then estimated as the
 * time spent outside shared kernels (on one core whatever N is) plus, for every shared kernel,
 * the time N threads would take to run its parts, claimed in order by whichever thread is free
 * first, as {@link TaskTeam} claims them. Since the parts are those of the real split, what
 * splitting costs (each part packing its own operand, a batch's slices summed) is in the
 * figure, and so is what does not split at all.
 *
 * <p>What it leaves out, so that the figures are an upper bound on the speedup: the hand-over
 * (under a microsecond per shared kernel on 2 cores, more on many; {@link #tasksPerStep} says
 * how many there are), and that real cores share memory bandwidth and the last-level cache
 * while here each part has the one core's caches to itself. Steps are timed in rounds, all
 * thread counts in turn, and the quickest round of each is kept, so the machine's noise mostly
 * drops out; run it with nothing else training in the JVM.
 *
 * <pre>{@code
 * // one batch x, y of 64 rows: 20 calls per round, 10 rounds, estimates for 8, 16, 64 threads
 * ScalingEstimate e =
 *     ScalingEstimate.measure(() -> model.lossAndGradient(x, y, 64), 20, 10, 8, 16, 64);
 * System.out.println(e); // a table: estimated time and speedup for each thread count
 * System.out.println(e.breakdown(16)); // where the time on 16 threads goes
 * }</pre>
 */
public final class ScalingEstimate {

  private final int[] threads;
  private final double[] stepNanos;
  private final double[] outsideNanos;
  private final double[] partNanos;
  private final double[] tasks;
  /** Per thread count, the quickest round's shared kernels by kind. */
  private final Kinds[] kinds;

  private ScalingEstimate(int[] threads, double[] stepNanos, double[] outsideNanos,
      double[] partNanos, double[] tasks, Kinds[] kinds) {
    this.threads = threads;
    this.stepNanos = stepNanos;
    this.outsideNanos = outsideNanos;
    this.partNanos = partNanos;
    this.tasks = tasks;
    this.kinds = kinds;
  }

  /**
   * Runs {@code step} in {@code rounds} rounds of {@code steps} calls per thread count (after
   * one such round each as warm-up) and returns the estimate; one thread is always measured, as
   * the reference. The kernel threads set before the call are back in place after it.
   *
   * @param threads the thread counts to estimate, each at least 2 (1 is the reference)
   */
  public static ScalingEstimate measure(Runnable step, int steps, int rounds, int... threads) {
    if (step == null) {
      throw new NullPointerException("step is null: pass the work to time, such as"
          + " () -> model.lossAndGradient(x, y, batch)");
    }
    if (steps < 1 || rounds < 1) {
      throw new IllegalArgumentException("steps and rounds must be at least 1, got " + steps
          + " steps and " + rounds + " rounds");
    }
    int[] counts = new int[threads.length + 1];
    counts[0] = 1;
    for (int i = 0; i < threads.length; i++) {
      if (threads[i] < 2 || threads[i] > 0xFFFF) {
        throw new IllegalArgumentException("thread counts to estimate must be 2 to 65535 (one"
            + " thread is always measured), got " + threads[i]);
      }
      counts[i + 1] = threads[i];
    }
    int n = counts.length;
    double[] best = new double[n];
    double[] outside = new double[n];
    double[] parts = new double[n];
    double[] tasks = new double[n];
    Kinds[] kinds = new Kinds[n];
    Arrays.fill(best, Double.POSITIVE_INFINITY);
    PartClock clock = new PartClock();
    TaskTeam[] teams = new TaskTeam[n];
    for (int i = 1; i < n; i++) {
      teams[i] = new TaskTeam(counts[i], clock);
    }
    TaskTeam own = Kernels.swapTeam(null);
    try {
      for (int r = 0; r <= rounds; r++) {
        for (int i = 0; i < n; i++) {
          Kernels.swapTeam(teams[i]);
          clock.reset();
          long t0 = System.nanoTime();
          for (int s = 0; s < steps; s++) {
            step.run();
          }
          long wall = System.nanoTime() - t0;
          double estimate = (double) (wall - clock.partNanos + clock.makespanNanos) / steps;
          if (r > 0 && estimate < best[i]) {
            best[i] = estimate;
            outside[i] = (double) (wall - clock.partNanos) / steps;
            parts[i] = (double) clock.partNanos / steps;
            tasks[i] = (double) clock.tasks / steps;
            kinds[i] = clock.kinds.copy(steps);
          }
        }
      }
    } finally {
      Kernels.swapTeam(own);
    }
    return new ScalingEstimate(counts, best, outside, parts, tasks, kinds);
  }

  /** The thread counts measured, 1 first. */
  public int[] threads() {
    return threads.clone();
  }

  /** The estimated time of one step on {@code threads} threads, in nanoseconds. */
  public double stepNanos(int threads) {
    return stepNanos[index(threads)];
  }

  /** The one-thread step over the estimated step on {@code threads} threads. */
  public double speedup(int threads) {
    return stepNanos[0] / stepNanos[index(threads)];
  }

  /** Time per step outside shared kernels, which one core runs at any thread count (ns). */
  public double outsideNanos(int threads) {
    return outsideNanos[index(threads)];
  }

  /** Time per step of all shared kernels' parts added up, as one core ran them (ns). */
  public double partNanos(int threads) {
    return partNanos[index(threads)];
  }

  /** Shared kernels (hand-overs to the team) per step on {@code threads} threads. */
  public double tasksPerStep(int threads) {
    return tasks[index(threads)];
  }

  private int index(int count) {
    for (int i = 0; i < threads.length; i++) {
      if (threads[i] == count) {
        return i;
      }
    }
    throw new IllegalArgumentException("no estimate for " + count + " threads; measured: "
        + Arrays.toString(threads));
  }

  /**
   * A Markdown table of where the estimated step on {@code threads} threads goes: each kind of
   * shared kernel (products, convolutions, optimizer updates...) with its count per step, its
   * parts' time added up and the time {@code threads} threads take over them, then the time
   * outside shared kernels.
   */
  public String breakdown(int threads) {
    int i = index(threads);
    Kinds k = kinds[i];
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "| on %d threads | per step | parts, added (us) | on %d"
        + " threads (us) |%n|---|---:|---:|---:|%n", threads, threads));
    for (int j = 0; j < k.count; j++) {
      b.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", k.names[j],
          k.tasks[j] / k.steps, k.parts[j] / 1e3 / k.steps, k.makespan[j] / 1e3 / k.steps));
    }
    b.append(String.format(Locale.ROOT, "| outside shared kernels | | | %.1f |%n",
        outsideNanos[i] / 1e3));
    return b.toString();
  }

  /** A Markdown table: per thread count the estimated step, speedup and its parts. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append("| threads | step (us) | speedup | outside shared kernels (us) | parts, added"
        + " (us) | shared kernels per step |\n|---:|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < threads.length; i++) {
      b.append(String.format(Locale.ROOT, "| %d%s | %.1f | %.2f | %.1f | %.1f | %.1f |%n",
          threads[i], i == 0 ? " (measured)" : "", stepNanos[i] / 1e3,
          stepNanos[0] / stepNanos[i], outsideNanos[i] / 1e3, partNanos[i] / 1e3, tasks[i]));
    }
    return b.toString();
  }

  /** Shared kernels' times summed by kind, in the order the kinds first ran. */
  static final class Kinds {
    String[] names = new String[8];
    long[] tasks = new long[8];
    long[] parts = new long[8];
    long[] makespan = new long[8];
    int count;
    /** The steps the sums are over, in a copy. */
    double steps = 1;

    void add(String name, long partNanos, long spanNanos) {
      int j = 0;
      while (j < count && !names[j].equals(name)) {
        j++;
      }
      if (j == count) {
        if (count == names.length) {
          names = Arrays.copyOf(names, 2 * count);
          tasks = Arrays.copyOf(tasks, 2 * count);
          parts = Arrays.copyOf(parts, 2 * count);
          makespan = Arrays.copyOf(makespan, 2 * count);
        }
        names[j] = name;
        tasks[j] = 0;
        parts[j] = 0;
        makespan[j] = 0;
        count++;
      }
      tasks[j]++;
      parts[j] += partNanos;
      makespan[j] += spanNanos;
    }

    Kinds copy(double overSteps) {
      Kinds c = new Kinds();
      c.names = Arrays.copyOf(names, count);
      c.tasks = Arrays.copyOf(tasks, count);
      c.parts = Arrays.copyOf(parts, count);
      c.makespan = Arrays.copyOf(makespan, count);
      c.count = count;
      c.steps = overSteps;
      return c;
    }
  }

  /** Times the parts of the shared kernels that a pretending {@link TaskTeam} runs. */
  static final class PartClock {
    private long[] times = new long[64];
    private long[] free = new long[64];
    long tasks;
    long partNanos;
    long makespanNanos;
    final Kinds kinds = new Kinds();

    void reset() {
      tasks = 0;
      partNanos = 0;
      makespanNanos = 0;
      kinds.count = 0;
    }

    /** Runs the {@code parts} parts of {@code task} in order, timing each. */
    void runTimed(TaskTeam.Task task, int parts, int threads) {
      if (times.length < parts) {
        times = new long[parts];
      }
      long t = System.nanoTime();
      task.runSharedWork();
      long shared = System.nanoTime() - t;
      long sum = shared;
      for (int p = 0; p < parts; p++) {
        long t0 = System.nanoTime();
        task.run(p, parts);
        times[p] = System.nanoTime() - t0;
        sum += times[p];
      }
      if (free.length < threads) {
        free = new long[threads];
      }
      long span = makespan(shared, times, parts, threads, free);
      tasks++;
      partNanos += sum;
      makespanNanos += span;
      kinds.add(task.kind(), sum, span);
    }

    /**
     * When the last of {@code parts} parts taking {@code times} ends on {@code threads}
     * threads that start together, first divide {@code shared} nanoseconds of work evenly
     * between them, and then each claim the next part as soon as they are free. {@code free}
     * is scratch space of at least {@code threads} entries.
     */
    static long makespan(long shared, long[] times, int parts, int threads, long[] free) {
      int t = Math.min(threads, parts);
      Arrays.fill(free, 0, t, shared / t);
      long end = 0;
      for (int p = 0; p < parts; p++) {
        int first = 0;
        for (int i = 1; i < t; i++) {
          if (free[i] < free[first]) {
            first = i;
          }
        }
        free[first] += times[p];
        end = Math.max(end, free[first]);
      }
      return end;
    }
  }
}
