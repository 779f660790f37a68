package dev.annonet.bench;

import dev.annonet.kernels.Activation;
import dev.annonet.kernels.Dense;
import dev.annonet.kernels.Kernels;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The three kernel calls of each dense layer of W1-W5 timed on their own: forward (with bias
 * and ReLU), parameter gradient and input gradient, each repeated for about a millisecond per
 * round, all calls in turn, and reported as the least round of many, in microseconds per call
 * and GFLOP/s.
 *
 * <p>For comparing two builds of a kernel on a noisy machine. A whole step's mean can move by a
 * third from one minute to the next on a shared virtual machine (BENCHMARKS.md); the least of
 * hundreds of short rounds of one call repeats within 3-5% there for most calls, so a few
 * alternating runs of the old and the new build resolve changes that step means cannot. A few
 * calls land on one of two levels from one JVM to the next (what the JIT made of the shared
 * code): compare only calls whose figures agree between runs of the same build.
 *
 * <pre>
 * for i in 1 2 3; do for d in old new; do
 *   java --add-modules jdk.incubator.vector -XX:PerMethodTrapLimit=1000 \
 *       -cp $d/benchmarks/target/classes:$(cat $d/benchmarks/target/classpath.txt) \
 *       dev.annonet.bench.LayerProbe W1,W2 1
 * done; done
 * </pre>
 */
public final class LayerProbe {

  /** Layers as batch rows, inputs, outputs: the dense layers of the workloads. */
  private static final int[][] W1 = {{32, 13, 64}, {32, 64, 64}, {32, 64, 1}};
  private static final int[][] W2 = {{64, 64, 128}, {64, 128, 10}};
  private static final int[][] W3 = {{128, 784, 256}, {128, 256, 256}, {128, 256, 10}};
  private static final int[][] W4 = {{256, 1024, 2048}, {256, 2048, 2048}, {256, 2048, 10}};
  /** LeNet-5's dense head, after its convolutions. */
  private static final int[][] W5 = {{64, 256, 120}, {64, 120, 84}, {64, 84, 10}};

  private LayerProbe() {}

  /** Arguments: workloads among W1-W5 (default W1,W2), kernel threads (default 1), rounds. */
  public static void main(String[] args) {
    TrainingBenchmark.requireVectorApi();
    String[] workloads = (args.length > 0 ? args[0] : "W1,W2").split(",");
    Kernels.setThreads(args.length > 1 ? Integer.parseInt(args[1]) : 1);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 400;
    java.util.List<Call> calls = new java.util.ArrayList<>();
    for (String w : workloads) {
      for (int[] layer : layers(w.trim())) {
        for (int kind = 0; kind < KINDS.length; kind++) {
          calls.add(new Call(w.trim(), layer[0], layer[1], layer[2], kind));
        }
      }
    }
    // Every call compiled before any is timed, then the calls in turn, round after round, so
    // that each sees the machine's same minutes and the JIT's same profile.
    for (int r = 0; r < rounds / 4; r++) {
      for (Call c : calls) {
        c.round();
      }
    }
    for (int r = 0; r < rounds; r++) {
      for (Call c : calls) {
        c.least = Math.min(c.least, c.round());
      }
    }
    System.out.println("| workload | layer | call | us (least of " + rounds + " rounds) | GFLOP/s |");
    System.out.println("|---|---|---|---:|---:|");
    for (Call c : calls) {
      double us = c.least / 1e3 / c.repeats;
      System.out.println(String.format(Locale.ROOT, "| %s | %d x %d -> %d | %s | %.3f | %.1f |",
          c.workload, c.rows, c.in, c.out, KINDS[c.kind], us, 2.0 * c.work / (us * 1e3)));
    }
  }

  private static final String[] KINDS = {"forward", "parameter gradient", "input gradient"};

  /** The dense layers of a workload, W1 to W5, as batch rows, inputs, outputs. */
  static int[][] layers(String workload) {
    switch (workload) {
      case "W1": return W1;
      case "W2": return W2;
      case "W3": return W3;
      case "W4": return W4;
      case "W5": return W5;
      default:
        throw new IllegalArgumentException("unknown workload '" + workload
            + "': LayerProbe knows the dense layers of W1, W2, W3, W4 and W5");
    }
  }

  /** One kernel call of one layer on its own operands, repeated to about 1 ms per round. */
  private static final class Call {
    final String workload;
    final int rows;
    final int in;
    final int out;
    final int kind;
    final long work;
    final int repeats;
    final float[] x;
    final float[] p;
    final float[] y;
    final float[] dY;
    final float[] g;
    final float[] dX;
    long least = Long.MAX_VALUE;

    Call(String workload, int rows, int in, int out, int kind) {
      this.workload = workload;
      this.rows = rows;
      this.in = in;
      this.out = out;
      this.kind = kind;
      this.work = (long) rows * in * out;
      this.repeats = (int) Math.max(1, Math.min(10_000, 20_000_000 / work));
      SplittableRandom rnd = new SplittableRandom(rows * 31L + in * 7L + out);
      x = random(rnd, rows * in);
      p = random(rnd, out * in + out);
      y = new float[rows * out];
      dY = random(rnd, rows * out);
      g = new float[p.length];
      dX = new float[rows * in];
    }

    /** Nanoseconds of one round. */
    long round() {
      long t0 = System.nanoTime();
      for (int c = 0; c < repeats; c++) {
        if (kind == 0) {
          Dense.forward(x, p, 0, out * in, y, rows, in, out, Activation.RELU, 0f);
        } else if (kind == 1) {
          Dense.backwardParams(dY, x, g, 0, out * in, rows, in, out);
        } else {
          Dense.backwardInput(dY, p, 0, x, dX, rows, in, out, Activation.RELU, 0f);
        }
      }
      return System.nanoTime() - t0;
    }
  }

  private static float[] random(SplittableRandom rnd, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    return a;
  }
}
