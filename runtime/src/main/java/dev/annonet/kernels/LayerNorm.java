package dev.annonet.kernels;

/**
 * Layer normalisation as PyTorch's {@code nn.LayerNorm(n)} over each sample's {@code n} values:
 * {@code z = gamma * (x - mean) / sqrt(var + eps) + beta} with the sample's mean and biased
 * variance, {@code out = act(z)}; {@code gamma} and {@code beta} are {@code [n]} at
 * {@code p[gammaOff]} and {@code p[betaOff]}. Layout {@code [batch][n]}.
 */
public final class LayerNorm {
  private LayerNorm() {}

  /** Normalises each sample; saves {@code xhat [batch][n]} and {@code invStd [batch]}. */
  public static void forward(
      float[] in, float[] p, int gammaOff, int betaOff, float[] out, float[] xhat,
      float[] invStd, int batch, int n, float eps, Activation act, float alpha) {
    for (int b = 0; b < batch; b++) {
      int row = b * n;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += in[row + i];
      }
      double mean = sum / n;
      double squares = 0;
      for (int i = 0; i < n; i++) {
        double d = in[row + i] - mean;
        squares += d * d;
      }
      float inv = (float) (1.0 / Math.sqrt(squares / n + eps));
      invStd[b] = inv;
      float m = (float) mean;
      for (int i = 0; i < n; i++) {
        float xh = (in[row + i] - m) * inv;
        xhat[row + i] = xh;
        out[row + i] = act.apply(p[gammaOff + i] * xh + p[betaOff + i], alpha);
      }
    }
  }

  /**
   * From {@code dZ} = dL/dz: overwrites {@code g[gammaOff + i] = sum_b dZ xhat} and
   * {@code g[betaOff + i] = sum_b dZ}; unless {@code dIn} is null, writes per sample {@code dIn =
   * actIn'(in) * invStd / n * (n dxhat - sum dxhat - xhat sum(dxhat xhat))}, {@code dxhat =
   * gamma dZ}.
   */
  public static void backward(
      float[] dZ, float[] xhat, float[] invStd, float[] p, int gammaOff, int betaOff, float[] g,
      float[] in, float[] dIn, int batch, int n, Activation actIn, float alphaIn) {
    for (int i = 0; i < n; i++) {
      double dGamma = 0;
      double dBeta = 0;
      for (int b = 0; b < batch; b++) {
        dGamma += (double) dZ[b * n + i] * xhat[b * n + i];
        dBeta += dZ[b * n + i];
      }
      g[gammaOff + i] = (float) dGamma;
      g[betaOff + i] = (float) dBeta;
    }
    if (dIn == null) {
      return;
    }
    for (int b = 0; b < batch; b++) {
      int row = b * n;
      double sum = 0;
      double sumX = 0;
      for (int i = 0; i < n; i++) {
        double dx = (double) p[gammaOff + i] * dZ[row + i];
        sum += dx;
        sumX += dx * xhat[row + i];
      }
      float k = invStd[b] / n;
      for (int i = 0; i < n; i++) {
        float dx = p[gammaOff + i] * dZ[row + i];
        float d = k * (n * dx - (float) sum - xhat[row + i] * (float) sumX);
        dIn[row + i] = actIn.derivativeFromOutput(in[row + i], alphaIn) * d;
      }
    }
  }
}
