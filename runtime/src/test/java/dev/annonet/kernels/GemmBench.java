package dev.annonet.kernels;

import java.util.SplittableRandom;

/**
 * Timing main (not a test) for the Dense kernels on both paths; prints GFLOP/s per product.
 *
 * <p>Run from runtime/: {@code java --add-modules jdk.incubator.vector -cp
 * target/classes:target/test-classes dev.annonet.kernels.GemmBench [batch nIn nOut ...]}.
 */
public final class GemmBench {

  private GemmBench() {}

  public static void main(String[] args) {
    int[][] shapes = {{128, 784, 256}, {256, 1024, 2048}, {32, 13, 64}, {32, 64, 64},
        {32, 64, 1}, {64, 64, 128}, {64, 128, 10}, {128, 256, 10}, {256, 2048, 10}};
    if (args.length >= 3) {
      shapes = new int[args.length / 3][];
      for (int i = 0; i < shapes.length; i++) {
        shapes[i] = new int[] {Integer.parseInt(args[3 * i]), Integer.parseInt(args[3 * i + 1]),
            Integer.parseInt(args[3 * i + 2])};
      }
    }
    System.out.println("vector module present: " + Kernels.vectorModulePresent());
    System.out.printf("%-16s %-7s %9s %9s %9s%n", "batch x in x out", "path", "forward", "dW",
        "dX");
    boolean all = Boolean.getBoolean("bench.all");
    for (int[] s : shapes) {
      for (boolean plain : new boolean[] {false, true}) {
        if (!plain && !Kernels.vectorModulePresent()) {
          continue;
        }
        Kernels.forcePlain(plain);
        run(s[0], s[1], s[2], plain ? "plain" : "vector", null);
      }
      Kernels.forcePlain(false);
      if (all) {
        for (Gemm.Impl impl : Gemm.Impl.values()) {
          if (impl != Gemm.Impl.VECTOR || Kernels.vectorModulePresent()) {
            run(s[0], s[1], s[2], impl.name().toLowerCase(java.util.Locale.ROOT), impl);
          }
        }
      }
    }
  }

  /** Times the three products through Dense (impl null: chosen by size) or on impl. */
  private static void run(int batch, int nIn, int nOut, String path, Gemm.Impl impl) {
    SplittableRandom rnd = new SplittableRandom(1);
    float[] x = Naive.random(rnd, batch * nIn, 1);
    float[] p = Naive.random(rnd, nOut * nIn + nOut, 1);
    float[] g = new float[p.length];
    float[] out = new float[batch * nOut];
    float[] dOut = Naive.random(rnd, batch * nOut, 1);
    float[] dX = new float[batch * nIn];
    double flops = 2.0 * batch * nIn * nOut;
    int reps = (int) Math.max(3, Math.min(20000, 2e9 / flops));
    double[] best = new double[3];
    for (int round = 0; round < 5; round++) {
      long t0 = System.nanoTime();
      for (int r = 0; r < reps; r++) {
        if (impl == null) {
          Dense.forward(x, p, 0, nOut * nIn, out, batch, nIn, nOut, Activation.RELU, 0f);
        } else {
          Gemm.multiply(impl, batch, nOut, nIn, x, 0, false, p, 0, true, out, 0, Gemm.BIAS_ACT,
              p, nOut * nIn, Activation.RELU, 0f);
        }
      }
      long t1 = System.nanoTime();
      for (int r = 0; r < reps; r++) {
        if (impl == null) {
          Dense.backwardParams(dOut, x, g, 0, nOut * nIn, batch, nIn, nOut);
        } else {
          Gemm.multiply(impl, nOut, nIn, batch, dOut, 0, true, x, 0, false, g, 0, Gemm.STORE,
              null, 0, Activation.IDENTITY, 0f);
        }
      }
      long t2 = System.nanoTime();
      for (int r = 0; r < reps; r++) {
        if (impl == null) {
          Dense.backwardInput(dOut, p, 0, x, dX, batch, nIn, nOut, Activation.RELU, 0f);
        } else {
          Gemm.multiply(impl, batch, nIn, nOut, dOut, 0, false, p, 0, false, dX, 0, Gemm.DERIV,
              x, 0, Activation.RELU, 0f);
        }
      }
      long t3 = System.nanoTime();
      best[0] = Math.max(best[0], flops * reps / (t1 - t0));
      best[1] = Math.max(best[1], flops * reps / (t2 - t1));
      best[2] = Math.max(best[2], flops * reps / (t3 - t2));
    }
    System.out.printf("%-16s %-7s %9.1f %9.1f %9.1f%n", batch + "x" + nIn + "x" + nOut, path,
        best[0], best[1], best[2]);
  }
}
