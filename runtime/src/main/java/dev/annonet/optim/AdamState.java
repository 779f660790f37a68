package dev.annonet.optim;

import dev.annonet.kernels.Updates;

/**
 * The moment estimates and the update loop shared by {@link Adam}, {@link AmsGrad} and
 * {@link AdamW}, which differ only in how weight decay enters and whether {@code v} is maxed.
 */
final class AdamState {

  float[] m;
  float[] v;
  float[] vMax;
  long steps;

  /**
   * One step of torch.optim.Adam / AdamW (PyTorch 1.13 {@code _single_tensor_adam}):
   * {@code theta *= 1 - lr * decoupledDecay; g = grad + l2 * theta; m <- b1 m + (1 - b1) g;
   * v <- b2 v + (1 - b2) g^2; vMax <- max(vMax, v) if amsgrad;
   * theta <- theta - lr / (1 - b1^t) * m / (sqrt(v or vMax) / sqrt(1 - b2^t) + eps)}.
   */
  void step(String owner, float[] theta, float[] grad, float lr, double beta1, double beta2,
      double eps, double l2, double decoupledDecay, boolean amsgrad) {
    int n = Check.sizes(owner, theta, grad, m == null ? -1 : m.length);
    if (m == null) {
      m = new float[n];
      v = new float[n];
      vMax = amsgrad ? new float[n] : null;
    }
    steps++;
    // Scalars in double, as PyTorch computes them in Python, then rounded once per step.
    double biasCorrection1 = 1 - Math.pow(beta1, steps);
    double biasCorrection2 = 1 - Math.pow(beta2, steps);
    float stepSize = (float) (lr / biasCorrection1);
    float sqrtBc2 = (float) Math.sqrt(biasCorrection2);
    float b1 = (float) beta1;
    float b2 = (float) beta2;
    float oneMinusB1 = (float) (1 - beta1);
    float oneMinusB2 = (float) (1 - beta2);
    float epsF = (float) eps;
    float wd = (float) l2;
    float shrink = (float) (1 - lr * decoupledDecay);
    boolean decay = decoupledDecay != 0;
    Updates.adam(theta, grad, m, v, vMax, n, stepSize, sqrtBc2, b1, b2, oneMinusB1, oneMinusB2,
        epsF, wd, decay, shrink);
  }

  void reset() {
    m = null;
    v = null;
    vMax = null;
    steps = 0;
  }

  /** Replaces the state with copies of {@code state} ({@code {m, v}}, plus {@code vMax}). */
  void restore(String owner, float[][] state, long steps, boolean amsgrad) {
    float[][] s = amsgrad
        ? State.restore(owner, state, steps, "m", "v", "vMax")
        : State.restore(owner, state, steps, "m", "v");
    m = s.length == 0 ? null : s[0];
    v = s.length == 0 ? null : s[1];
    vMax = s.length == 0 || !amsgrad ? null : s[2];
    this.steps = steps;
  }

  float[][] arrays() {
    if (m == null) {
      return new float[0][];
    }
    return vMax == null ? new float[][] {m, v} : new float[][] {m, v, vMax};
  }
}
