package dev.annonet.kernels;

import java.util.SplittableRandom;

/**
 * Timing main (not a test): each convolution and pooling kernel call of a LeNet training step
 * (workload W5, batch 64) timed on its own, microseconds of the caller's CPU time per call,
 * best of several rounds (with 2 threads the worker's share is not counted: use wall time).
 *
 * <p>Run from runtime/: {@code java --add-modules jdk.incubator.vector -cp
 * target/classes:target/test-classes dev.annonet.kernels.ConvBench [threads]}.
 */
public final class ConvBench {

  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private ConvBench() {}

  public static void main(String[] args) {
    Kernels.setThreads(args.length > 0 ? Integer.parseInt(args[0]) : 1);
    System.out.println("vector API in use: " + Kernels.vectorApiAvailable() + ", threads "
        + Kernels.threads());
    int batch = 64;
    SplittableRandom rnd = new SplittableRandom(1);
    float[] x = Naive.random(rnd, batch * 784, 1);
    float[] p = Naive.random(rnd, 6 * 25 + 6 + 16 * 150 + 16, 0.2);
    float[] g = new float[p.length];
    int w1 = 0;
    int b1 = 150;
    int w2 = 156;
    int b2 = 156 + 2400;
    float[] c1 = new float[batch * 6 * 576];
    float[] p1 = new float[batch * 6 * 144];
    int[] a1 = new int[p1.length];
    float[] c2 = new float[batch * 16 * 64];
    float[] p2 = new float[batch * 16 * 16];
    int[] a2 = new int[p2.length];
    float[] dP2 = Naive.random(rnd, p2.length, 1);
    float[] dC2 = new float[c2.length];
    float[] dP1 = new float[p1.length];
    float[] dC1 = new float[c1.length];
    Runnable[] calls = {
      () -> Conv2d.forward(x, p, w1, b1, c1, batch, 1, 28, 28, 6, 5, 1, 0, Activation.RELU, 0f),
      () -> Pool.maxForward(c1, p1, a1, batch, 6, 24, 24, 2, 2),
      () -> Conv2d.forward(p1, p, w2, b2, c2, batch, 6, 12, 12, 16, 5, 1, 0, Activation.RELU,
          0f),
      () -> Pool.maxForward(c2, p2, a2, batch, 16, 8, 8, 2, 2),
      () -> Pool.maxBackward(dP2, a2, c2, dC2, batch, 16, 8, 8, 2, 2, Activation.RELU, 0f),
      () -> Conv2d.backwardParams(dC2, p1, g, w2, b2, batch, 6, 12, 12, 16, 5, 1, 0),
      () -> Conv2d.backwardInput(dC2, p, w2, p1, dP1, batch, 6, 12, 12, 16, 5, 1, 0,
          Activation.IDENTITY, 0f),
      () -> Pool.maxBackward(dP1, a1, c1, dC1, batch, 6, 24, 24, 2, 2, Activation.RELU, 0f),
      () -> Conv2d.backwardParams(dC1, x, g, w1, b1, batch, 1, 28, 28, 6, 5, 1, 0),
    };
    String[] names = {"c1 fwd", "p1 fwd", "c2 fwd", "p2 fwd", "p2 bwd", "c2 dW", "c2 dX",
        "p1 bwd", "c1 dW"};
    double[] best = new double[calls.length];
    java.util.Arrays.fill(best, Double.MAX_VALUE);
    int reps = 200;
    for (int round = 0; round < 8; round++) {
      for (int c = 0; c < calls.length; c++) {
        // CPU time of this thread: less disturbed by other processes on a shared machine.
        long t0 = CPU.getCurrentThreadCpuTime();
        for (int r = 0; r < reps; r++) {
          calls[c].run();
        }
        best[c] = Math.min(best[c], (CPU.getCurrentThreadCpuTime() - t0) / 1e3 / reps);
      }
    }
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)
        java.lang.management.ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    double total = 0;
    for (int c = 0; c < calls.length; c++) {
      long a0 = mx.getThreadAllocatedBytes(self);
      calls[c].run();
      long bytes = mx.getThreadAllocatedBytes(self) - a0;
      System.out.printf("%-7s %8.1f us  %d bytes allocated%n", names[c], best[c], bytes);
      total += best[c];
    }
    System.out.printf("total   %8.1f us per batch of %d = %.0f samples/s (conv+pool only)%n",
        total, batch, batch / total * 1e6);
    Kernels.setThreads(1);
  }
}
