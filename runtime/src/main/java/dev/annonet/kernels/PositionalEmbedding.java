package dev.annonet.kernels;

/**
 * Forward and backward of a learned position table added to a sequence, as GPT's {@code wpe}:
 * {@code out[b][t][i] = in[b][t][i] + p[wOff + t * features + i]}.
 *
 * <p>Layouts: in, out, dOut and dIn {@code [batch][steps][features]}; the weight {@code
 * [steps][features]} at {@code p[wOff]} (its gradient at {@code g[wOff]}).
 */
public final class PositionalEmbedding {
  private PositionalEmbedding() {}

  /** Adds the table to every sample. */
  public static void forward(float[] in, float[] p, int wOff, float[] out, int batch, int steps,
      int features) {
    int n = steps * features;
    for (int b = 0; b < batch; b++) {
      int row = b * n;
      for (int k = 0; k < n; k++) {
        out[row + k] = in[row + k] + p[wOff + k];
      }
    }
  }

  /**
   * Overwrites the table's gradient, {@code g[wOff + k] = sum_b dOut[b][k]} (summed in double,
   * samples in order); unless {@code dIn} is null, writes {@code dIn = act'(in) * dOut}, where
   * {@code act} produced {@code in}.
   */
  public static void backward(float[] dOut, float[] in, float[] dIn, float[] g, int wOff,
      int batch, int steps, int features, Activation act, float alpha) {
    backwardParams(dOut, 0, g, wOff, batch, steps, features);
    if (dIn != null) {
      Merge.addBackward(dOut, in, dIn, batch * steps * features, act, alpha);
    }
  }

  /**
   * The table's gradient from the samples {@code [from, from + batch)}: {@code g[wOff + k] =
   * sum_b dOut[b][k]}, summed in double, samples in order.
   */
  public static void backwardParams(float[] dOut, int from, float[] g, int wOff, int batch,
      int steps, int features) {
    int n = steps * features;
    for (int k = 0; k < n; k++) {
      double sum = 0;
      for (int b = from; b < from + batch; b++) {
        sum += dOut[b * n + k];
      }
      g[wOff + k] = (float) sum;
    }
  }

}
