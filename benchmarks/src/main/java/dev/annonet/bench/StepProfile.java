package dev.annonet.bench;

import dev.annonet.kernels.Kernels;
import java.util.Locale;

/**
 * Where a training step's time goes: for each workload and kernel thread count, the mean time
 * of the forward and backward pass ({@code Model.lossAndGradient}) and of the optimizer's
 * update, over a few seconds of steps after a warm-up. A rough split to read beside the JMH
 * figures, not a replacement for them (one JVM, wall-clock timers around each phase).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:PerMethodTrapLimit=1000 \
 *     -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     dev.annonet.bench.StepProfile W3,W4 1,2
 * </pre>
 */
public final class StepProfile {

  private StepProfile() {}

  /** Arguments: workloads (default W1,...,W5), thread counts (default 1,2), seconds (3). */
  public static void main(String[] args) {
    TrainingBenchmark.requireVectorApi();
    String[] workloads = (args.length > 0 ? args[0] : "W1,W2,W3,W4,W5").split(",");
    String[] threads = (args.length > 1 ? args[1] : "1,2").split(",");
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 3;
    System.out.println("| workload | threads | step (us) | forward + backward (us) | optimizer (us)"
        + " | other (us) |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    for (String w : workloads) {
      for (String t : threads) {
        Kernels.setThreads(Integer.parseInt(t.trim()));
        Workload workload = Workload.valueOf(w.trim());
        TrainingLoop loop = workload.newTrainingLoop(workload.samples());
        run(loop, seconds); // warm-up
        long[] phases = run(loop, seconds);
        double steps = phases[0];
        System.out.println(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f |",
            workload, t.trim(), phases[1] / 1e3 / steps, phases[2] / 1e3 / steps,
            phases[3] / 1e3 / steps, (phases[1] - phases[2] - phases[3]) / 1e3 / steps));
      }
    }
    Kernels.setThreads(1);
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
