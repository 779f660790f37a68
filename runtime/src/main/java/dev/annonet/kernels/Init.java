package dev.annonet.kernels;

import java.util.SplittableRandom;

/**
 * Weight initialisation, seeded and deterministic: He-uniform for layers followed by a ReLU-family
 * activation, Glorot-uniform otherwise (the gains of PyTorch's {@code nn.init}).
 */
public final class Init {
  private Init() {}

  /**
   * He (Kaiming) uniform: U(-b, b) with {@code b = gain * sqrt(3 / fanIn)} and
   * {@code gain = sqrt(2 / (1 + slope^2))} ({@code slope} 0 for ReLU, alpha for LeakyReLU).
   */
  public static void heUniform(
      float[] p, int off, int count, int fanIn, float slope, SplittableRandom rng) {
    double gain = Math.sqrt(2.0 / (1.0 + (double) slope * slope));
    uniform(p, off, count, gain * Math.sqrt(3.0 / fanIn), rng);
  }

  /** Glorot (Xavier) uniform: U(-b, b) with {@code b = sqrt(6 / (fanIn + fanOut))}. */
  public static void glorotUniform(
      float[] p, int off, int count, int fanIn, int fanOut, SplittableRandom rng) {
    uniform(p, off, count, Math.sqrt(6.0 / (fanIn + fanOut)), rng);
  }

  /**
   * N(0, std^2), PyTorch's {@code nn.init.normal_} (and {@code nn.Embedding}'s initialisation
   * with {@code std} 1), from {@code rng}'s Gaussians.
   */
  public static void normal(float[] p, int off, int count, double std, SplittableRandom rng) {
    for (int k = 0; k < count; k++) {
      p[off + k] = (float) (std * rng.nextGaussian());
    }
  }

  private static void uniform(float[] p, int off, int count, double bound, SplittableRandom rng) {
    for (int k = 0; k < count; k++) {
      p[off + k] = (float) ((2 * rng.nextDouble() - 1) * bound);
    }
  }
}
