package dev.annonet.kernels;

/**
 * Inverted dropout (PyTorch's {@code nn.Dropout} in training mode): each value is zeroed with
 * probability {@code p} and the others scaled by {@code 1 / (1 - p)}, so that inference needs no
 * rescaling. The random bits come from a splitmix64 stream whose state the caller keeps, so a
 * seeded model drops the same values run after run.
 */
public final class Dropout {
  private Dropout() {}

  /**
   * {@code mask[k] = 0} with probability {@code p}, else {@code 1 / (1 - p)};
   * {@code out[k] = in[k] * mask[k]} for {@code k < n}. Returns the stream's next state.
   */
  public static long forward(float[] in, float[] out, float[] mask, int n, float p, long state) {
    float keep = 1f / (1f - p);
    // A value is dropped when 24 random bits fall below p * 2^24.
    int threshold = (int) (p * (1 << 24));
    long s = state;
    for (int k = 0; k < n; k++) {
      s += 0x9E3779B97F4A7C15L;
      long z = s;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z ^= z >>> 31;
      float m = (int) (z >>> 40) < threshold ? 0f : keep;
      mask[k] = m;
      out[k] = in[k] * m;
    }
    return s;
  }

  /** {@code dIn[k] = actIn'(in[k]) * mask[k] * dOut[k]}, {@code in} the producer's output. */
  public static void backward(
      float[] dOut, float[] mask, float[] in, float[] dIn, int n, Activation actIn,
      float alphaIn) {
    for (int k = 0; k < n; k++) {
      dIn[k] = actIn.derivativeFromOutput(in[k], alphaIn) * mask[k] * dOut[k];
    }
  }
}
