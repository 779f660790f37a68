package dev.annonet.kernels;

/**
 * Batch normalisation as PyTorch's {@code nn.BatchNorm1d} on {@code [batch][c]} ({@code spatial
 * = 1}) and {@code nn.BatchNorm2d} on {@code [batch][c][spatial]} ({@code spatial = h * w}):
 * per channel, {@code z = gamma * (x - mean) / sqrt(var + eps) + beta}, {@code out = act(z)};
 * {@code gamma} at {@code p[gammaOff + c]}, {@code beta} at {@code p[betaOff + c]}. Statistics
 * are summed in double.
 */
public final class BatchNorm {
  private BatchNorm() {}

  /**
   * Training mode: normalises with the batch mean and biased variance over {@code batch *
   * spatial} values per channel, saves {@code xhat} and {@code invStd[c]} for backward, and
   * updates the running statistics as PyTorch does: {@code running = (1 - momentum) running +
   * momentum stat}, with the unbiased variance.
   */
  public static void forwardTrain(
      float[] in, float[] p, int gammaOff, int betaOff, float[] out, float[] xhat,
      float[] invStd, float[] runningMean, float[] runningVar, int batch, int c, int spatial,
      float momentum, float eps, Activation act, float alpha) {
    long count = (long) batch * spatial;
    for (int ch = 0; ch < c; ch++) {
      double sum = 0;
      for (int b = 0; b < batch; b++) {
        int base = (b * c + ch) * spatial;
        for (int s = 0; s < spatial; s++) {
          sum += in[base + s];
        }
      }
      double mean = sum / count;
      double squares = 0;
      for (int b = 0; b < batch; b++) {
        int base = (b * c + ch) * spatial;
        for (int s = 0; s < spatial; s++) {
          double d = in[base + s] - mean;
          squares += d * d;
        }
      }
      double var = squares / count;
      float inv = (float) (1.0 / Math.sqrt(var + eps));
      invStd[ch] = inv;
      float gamma = p[gammaOff + ch];
      float beta = p[betaOff + ch];
      float m = (float) mean;
      for (int b = 0; b < batch; b++) {
        int base = (b * c + ch) * spatial;
        for (int s = 0; s < spatial; s++) {
          float xh = (in[base + s] - m) * inv;
          xhat[base + s] = xh;
          out[base + s] = act.apply(gamma * xh + beta, alpha);
        }
      }
      double unbiased = count > 1 ? squares / (count - 1) : var;
      runningMean[ch] = (float) ((1 - momentum) * runningMean[ch] + momentum * mean);
      runningVar[ch] = (float) ((1 - momentum) * runningVar[ch] + momentum * unbiased);
    }
  }

  /** Inference mode: normalises with the running statistics. */
  public static void forwardEval(
      float[] in, float[] p, int gammaOff, int betaOff, float[] out, float[] runningMean,
      float[] runningVar, int batch, int c, int spatial, float eps, Activation act, float alpha) {
    for (int ch = 0; ch < c; ch++) {
      float inv = (float) (1.0 / Math.sqrt(runningVar[ch] + (double) eps));
      float scale = p[gammaOff + ch] * inv;
      float shift = p[betaOff + ch] - runningMean[ch] * scale;
      for (int b = 0; b < batch; b++) {
        int base = (b * c + ch) * spatial;
        for (int s = 0; s < spatial; s++) {
          out[base + s] = act.apply(in[base + s] * scale + shift, alpha);
        }
      }
    }
  }

  /**
   * Training-mode backward from {@code dZ} = dL/dz: overwrites {@code g[gammaOff + c] = sum dZ
   * xhat} and {@code g[betaOff + c] = sum dZ}; unless {@code dIn} is null, writes {@code dIn =
   * actIn'(in) * invStd / N * (N dxhat - sum dxhat - xhat sum(dxhat xhat))} with {@code dxhat =
   * gamma dZ} and {@code N = batch * spatial}.
   */
  public static void backward(
      float[] dZ, float[] xhat, float[] invStd, float[] p, int gammaOff, int betaOff, float[] g,
      float[] in, float[] dIn, int batch, int c, int spatial, Activation actIn, float alphaIn) {
    long count = (long) batch * spatial;
    for (int ch = 0; ch < c; ch++) {
      double sumD = 0;
      double sumDx = 0;
      for (int b = 0; b < batch; b++) {
        int base = (b * c + ch) * spatial;
        for (int s = 0; s < spatial; s++) {
          sumD += dZ[base + s];
          sumDx += (double) dZ[base + s] * xhat[base + s];
        }
      }
      g[gammaOff + ch] = (float) sumDx;
      g[betaOff + ch] = (float) sumD;
      if (dIn == null) {
        continue;
      }
      float gamma = p[gammaOff + ch];
      float k = gamma * invStd[ch] / count;
      float meanD = (float) sumD;
      float meanDx = (float) sumDx;
      for (int b = 0; b < batch; b++) {
        int base = (b * c + ch) * spatial;
        for (int s = 0; s < spatial; s++) {
          float d = k * (count * dZ[base + s] - meanD - xhat[base + s] * meanDx);
          dIn[base + s] = actIn.derivativeFromOutput(in[base + s], alphaIn) * d;
        }
      }
    }
  }
}
