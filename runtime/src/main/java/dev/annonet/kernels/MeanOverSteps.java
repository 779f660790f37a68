package dev.annonet.kernels;

/**
 * Forward and backward of the mean over a sequence's positions, {@code x.mean(dim=1)} in
 * PyTorch.
 *
 * <p>Layouts: in and dIn {@code [batch][steps][features]}, out and dOut {@code
 * [batch][features]}.
 */
public final class MeanOverSteps {
  private MeanOverSteps() {}

  /** {@code out[b][i] = (1 / steps) sum_t in[b][t][i]}, summed in double. */
  public static void forward(float[] in, float[] out, int batch, int steps, int features) {
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < features; i++) {
        double sum = 0;
        for (int t = 0; t < steps; t++) {
          sum += in[(b * steps + t) * features + i];
        }
        out[b * features + i] = (float) (sum / steps);
      }
    }
  }

  /** {@code dIn[b][t][i] = act'(in[b][t][i]) * dOut[b][i] / steps} ({@code act} produced in). */
  public static void backward(float[] dOut, float[] in, float[] dIn, int batch, int steps,
      int features, Activation act, float alpha) {
    float scale = 1f / steps;
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < steps; t++) {
        int row = (b * steps + t) * features;
        for (int i = 0; i < features; i++) {
          dIn[row + i] =
              act.derivativeFromOutput(in[row + i], alpha) * (dOut[b * features + i] * scale);
        }
      }
    }
  }
}
