package dev.annonet.kernels;

/**
 * The gradient through a batch normalisation in inference mode, where the running statistics
 * are constants: {@code z = gamma * (x - mean) / sqrt(var + eps) + beta} is then an affine map
 * per channel. Layout as {@link BatchNorm}: {@code [batch][c][spatial]}.
 */
public final class BatchNormInference {
  private BatchNormInference() {}

  /**
   * Writes (overwrites) {@code g[gammaOff + c]} and {@code g[betaOff + c]}, and unless {@code dIn}
   * is null, {@code dIn = actIn'(in) * dZ * gamma / sqrt(var + eps)}.
   */
  public static void backward(
      float[] dZ, float[] in, float[] p, int gammaOff, int betaOff, float[] g,
      float[] runningMean, float[] runningVar, float[] dIn, int batch, int c, int spatial,
      float eps, Activation actIn, float alphaIn) {
    for (int ch = 0; ch < c; ch++) {
      float invStd = (float) (1.0 / Math.sqrt(runningVar[ch] + (double) eps));
      float mean = runningMean[ch];
      float scale = p[gammaOff + ch] * invStd;
      double dGamma = 0;
      double dBeta = 0;
      for (int b = 0; b < batch; b++) {
        int base = (b * c + ch) * spatial;
        for (int s = 0; s < spatial; s++) {
          float d = dZ[base + s];
          dGamma += (double) d * (in[base + s] - mean) * invStd;
          dBeta += d;
          if (dIn != null) {
            dIn[base + s] = actIn.derivativeFromOutput(in[base + s], alphaIn) * d * scale;
          }
        }
      }
      g[gammaOff + ch] = (float) dGamma;
      g[betaOff + ch] = (float) dBeta;
    }
  }
}
