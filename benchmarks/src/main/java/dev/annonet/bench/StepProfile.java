package dev.annonet.bench;

import dev.annonet.kernels.Kernels;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;

/**
 * Where a training step's time goes: for each workload and kernel thread count, the mean time
 * of the forward and backward pass ({@code Model.lossAndGradient}) and of the optimizer's
 * update, over a few seconds of steps after a warm-up. A rough split to read beside the JMH
 * figures, not a replacement for them (one JVM, wall-clock timers around each phase).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:PerMethodTrapLimit=1000 \
 *     -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     dev.annonet.bench.StepProfile W3,W4 1,2,2i
 * </pre>
 *
 * <p>A thread count written {@code Ni} runs N independent trainings side by side, one per thread,
 * each on one kernel thread, and reports their mean step: what N cores give when nothing is
 * shared. N times the 1-thread step over that is the most any N-thread split of one training
 * could reach on this machine (the cores' shared caches, memory and clock set it, not the code),
 * the ceiling that the N-thread figure is judged against.
 *
 * <p>Thread counts run one after the other in this JVM, and switching the kernel team
 * deoptimizes the kernels for seconds; for figures to compare, give one thread count per run.
 */
public final class StepProfile {

  private StepProfile() {}

  /** Arguments: workloads (default W1,...,W5), thread counts (default 1,2,2i), seconds (3). */
  public static void main(String[] args) throws InterruptedException {
    TrainingBenchmark.requireVectorApi();
    String[] workloads = (args.length > 0 ? args[0] : "W1,W2,W3,W4,W5").split(",");
    String[] threads = (args.length > 1 ? args[1] : "1,2,2i").split(",");
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 3;
    System.out.println("| workload | threads | step (us) | forward + backward (us) | optimizer (us)"
        + " | other (us) |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (String w : workloads) {
      Workload workload = Workload.valueOf(w.trim());
      for (String t : threads) {
        String spec = t.trim();
        long[] phases;
        if (spec.endsWith("i")) {
          Kernels.setThreads(1);
          phases = independent(workload, Integer.parseInt(spec.substring(0, spec.length() - 1)),
              seconds);
        } else {
          Kernels.setThreads(Integer.parseInt(spec));
          TrainingLoop loop = workload.newTrainingLoop(workload.samples());
          run(loop, seconds); // warm-up
          phases = run(loop, seconds);
        }
        double steps = phases[0];
        System.out.println(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f |",
            workload, spec, phases[1] / 1e3 / steps, phases[2] / 1e3 / steps,
            phases[3] / 1e3 / steps, (phases[1] - phases[2] - phases[3]) / 1e3 / steps));
      }
    }
    Kernels.setThreads(1);
  }

  /**
   * {@code count} trainings of {@code workload}, each on its own thread, warmed up and then
   * timed together for {@code seconds}; returns their phases summed as {@link #run} gives them
   * (so per-step means are over all of their steps).
   */
  private static long[] independent(Workload workload, int count, double seconds)
      throws InterruptedException {
    long[][] phases = new long[count][];
    Thread[] threads = new Thread[count];
    CyclicBarrier start = new CyclicBarrier(count);
    Throwable[] failure = new Throwable[1];
    for (int i = 0; i < count; i++) {
      int id = i;
      threads[i] = new Thread(() -> {
        TrainingLoop loop = workload.newTrainingLoop(workload.samples());
        run(loop, seconds); // warm-up
        try {
          start.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        phases[id] = run(loop, seconds);
      });
      // A failed training breaks the barrier, so the others stop instead of waiting for it.
      threads[i].setUncaughtExceptionHandler((t, e) -> {
        if (failure[0] == null) {
          failure[0] = e;
        }
        start.reset();
      });
      threads[i].start();
    }
    long[] total = new long[4];
    for (Thread t : threads) {
      t.join();
    }
    if (failure[0] != null) {
      throw new IllegalStateException("an independent training failed", failure[0]);
    }
    for (int i = 0; i < count; i++) {
      for (int k = 0; k < 4; k++) {
        total[k] += phases[i][k];
      }
    }
    return total;
  }

  /** Steps for {@code seconds}; returns {steps, total ns, forward-backward ns, optimizer ns}. */
  private static long[] run(TrainingLoop loop, double seconds) {
    long[] phases = new long[4];
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      loop.step(phases);
      phases[0]++;
    }
    phases[1] = System.nanoTime() - start;
    return phases;
  }
}
