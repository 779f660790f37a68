package dev.annonet.bench;

import dev.annonet.kernels.ScalingEstimate;

/**
 * Estimates each workload's training step on more cores than this machine has ({@link
 * ScalingEstimate}): every shared kernel cut as it would be on N threads, its parts timed one by
 * one on this thread, and the step on N cores taken as the time outside shared kernels plus the
 * time N threads would take over each kernel's parts. An upper bound: no hand-over cost, no
 * memory bandwidth shared between cores.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:PerMethodTrapLimit=1000 \
 *     -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     dev.annonet.bench.ScalingProbe W3,W5 2,8,16,64
 * </pre>
 */
public final class ScalingProbe {

  private ScalingProbe() {}

  /** Arguments: workloads (default W1,...,W5), thread counts (2,8,16,64), rounds (100). */
  public static void main(String[] args) {
    TrainingBenchmark.requireVectorApi();
    String[] workloads = (args.length > 0 ? args[0] : "W1,W2,W3,W4,W5").split(",");
    String[] spec = (args.length > 1 ? args[1] : "2,8,16,64").split(",");
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int[] threads = new int[spec.length];
    for (int i = 0; i < spec.length; i++) {
      threads[i] = Integer.parseInt(spec[i].trim());
    }
    for (String w : workloads) {
      Workload workload = Workload.valueOf(w.trim());
      TrainingLoop loop = workload.newTrainingLoop(workload.samples());
      // Two seconds to compile the kernels, then rounds of about 10 ms per thread count: short
      // rounds, all thread counts in turn, so that a slow spell of the machine hits few of them.
      long t0 = System.nanoTime();
      while (System.nanoTime() - t0 < 2_000_000_000L) {
        loop.step();
      }
      t0 = System.nanoTime();
      int probe = 0;
      while (System.nanoTime() - t0 < 100_000_000L) {
        loop.step();
        probe++;
      }
      int steps = Math.max(1, probe / 10);
      ScalingEstimate e = ScalingEstimate.measure(loop::step, steps, rounds, threads);
      System.out.println(workload + " (" + steps + " steps per round, quickest of " + rounds
          + " rounds):");
      System.out.println(e);
      for (int t : threads) {
        System.out.println(e.breakdown(t));
      }
    }
  }
}
