package dev.annonet.kernels;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Timing main (not a test): exact GELU's forward ({@code Activation.GELU.applyInPlace}) and
 * backward ({@code multiplyByDerivativeAt}) over 2048 x 512 floats, the plain and Vector API
 * paths, beside the former per-element double code ({@link Erf#gelu}, {@link
 * Erf#geluDerivative}) in the same run: nanoseconds per element, best of several rounds, and
 * the bytes allocated per call once warm.
 *
 * <p>Run from runtime/: {@code java --add-modules jdk.incubator.vector -cp
 * target/classes:target/test-classes dev.annonet.kernels.GeluBench}.
 */
public final class GeluBench {

  private static final int N = 2048 * 512;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private GeluBench() {}

  public static void main(String[] args) {
    float[] x = Naive.random(new SplittableRandom(1), N, 3);
    float[] a = new float[N];
    float[] d = Naive.random(new SplittableRandom(2), N, 1);
    float[] g = new float[N];
    System.out.println("| code | forward (ns/element) | backward (ns/element) | bytes/call |");
    System.out.println("|---|---:|---:|---:|");
    for (int pass = 0; pass < 2; pass++) {
      for (String code : new String[] {"double Erf (before)", "plain", "vector"}) {
        Kernels.forcePlain(!code.equals("vector"));
        boolean before = code.startsWith("double");
        double forward = Double.MAX_VALUE;
        double backward = Double.MAX_VALUE;
        long bytes = 0;
        for (int round = 0; round < 8; round++) {
          System.arraycopy(x, 0, a, 0, N);
          long t0 = System.nanoTime();
          long b0 = THREADS.getCurrentThreadAllocatedBytes();
          if (before) {
            for (int i = 0; i < N; i++) {
              a[i] = (float) Erf.gelu(a[i]);
            }
          } else {
            Activation.GELU.applyInPlace(a, 0, N, 0f);
          }
          long t1 = System.nanoTime();
          System.arraycopy(d, 0, g, 0, N);
          long t2 = System.nanoTime();
          if (before) {
            for (int i = 0; i < N; i++) {
              g[i] *= (float) Erf.geluDerivative(x[i]);
            }
          } else {
            Activation.GELU.multiplyByDerivativeAt(g, 0, x, 0, N, 0f);
          }
          long t3 = System.nanoTime();
          bytes = THREADS.getCurrentThreadAllocatedBytes() - b0;
          forward = Math.min(forward, (t1 - t0) / (double) N);
          backward = Math.min(backward, (t3 - t2) / (double) N);
        }
        if (pass == 1) {
          System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %d |%n", code, forward, backward,
              bytes / 2);
        }
      }
    }
  }
}
