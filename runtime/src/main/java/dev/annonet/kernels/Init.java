package dev.annonet.kernels;

import java.util.SplittableRandom;

/**
 * Weight initialisation, seeded and deterministic: He-uniform for layers followed by a ReLU-family
 * activation, Glorot-uniform otherwise (the gains of PyTorch's {@code nn.init}), and PyTorch's
 * own default for recurrent layers.
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

  /**
   * PyTorch's initialisation of a recurrent layer ({@code nn.LSTM}, {@code nn.GRU}): every
   * weight and bias U(-b, b) with {@code b = 1 / sqrt(hidden)}; {@code count} is the layer's
   * whole parameter block ({@link Lstm#parameterCount}, {@link Gru#parameterCount}).
   */
  public static void recurrentUniform(
      float[] p, int off, int count, int hidden, SplittableRandom rng) {
    uniform(p, off, count, 1.0 / Math.sqrt(hidden), rng);
  }

  /**
   * PyTorch's default weight of {@code nn.Linear}, {@code kaiming_uniform_(a=sqrt(5))}: U(-b, b)
   * with {@code b = 1 / sqrt(fanIn)} (also {@code nn.MultiheadAttention}'s {@code
   * out_proj.weight}).
   */
  public static void linearUniform(
      float[] p, int off, int count, int fanIn, SplittableRandom rng) {
    uniform(p, off, count, 1.0 / Math.sqrt(fanIn), rng);
  }

  private static void uniform(float[] p, int off, int count, double bound, SplittableRandom rng) {
    for (int k = 0; k < count; k++) {
      p[off + k] = (float) ((2 * rng.nextDouble() - 1) * bound);
    }
  }
}
