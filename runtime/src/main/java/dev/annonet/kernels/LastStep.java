package dev.annonet.kernels;

import java.util.Arrays;

/**
 * Forward and backward of a sequence's last position, {@code x[:, -1, :]} in PyTorch.
 *
 * <p>Layouts: in and dIn {@code [batch][steps][features]}, out and dOut {@code
 * [batch][features]}.
 */
public final class LastStep {
  private LastStep() {}

  /** {@code out[b][i] = in[b][steps - 1][i]}. */
  public static void forward(float[] in, float[] out, int batch, int steps, int features) {
    for (int b = 0; b < batch; b++) {
      System.arraycopy(in, (b * steps + steps - 1) * features, out, b * features, features);
    }
  }

  /**
   * Writes {@code dIn}: {@code act'(in) * dOut} at the last position, 0 at the others
   * ({@code act} produced {@code in}).
   */
  public static void backward(float[] dOut, float[] in, float[] dIn, int batch, int steps,
      int features, Activation act, float alpha) {
    Arrays.fill(dIn, 0, batch * steps * features, 0f);
    for (int b = 0; b < batch; b++) {
      int last = (b * steps + steps - 1) * features;
      for (int i = 0; i < features; i++) {
        dIn[last + i] = act.derivativeFromOutput(in[last + i], alpha) * dOut[b * features + i];
      }
    }
  }
}
