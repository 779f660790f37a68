package dev.annonet.testing;

import dev.annonet.Task;

/** Logistic regression with the mean binary cross-entropy on logits; targets are 0 or 1. */
public final class LogisticModel extends LinearModel {

  public LogisticModel(int in) {
    super(in, 1);
  }

  @Override
  public int targetSize() {
    return 1;
  }

  @Override
  public Task task() {
    return Task.BINARY;
  }

  @Override
  protected double loss(float[] z, float[] y, int batch, float[] dz) {
    double sum = 0;
    for (int r = 0; r < batch; r++) {
      double v = z[r];
      // softplus(v) - y v, written to stay finite for large |v|.
      sum += Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))) - y[r] * v;
      if (dz != null) {
        dz[r] = (float) ((1 / (1 + Math.exp(-v)) - y[r]) / batch);
      }
    }
    return sum / batch;
  }

  @Override
  protected void link(float[] z, int batch, float[] result) {
    for (int r = 0; r < batch; r++) {
      result[r] = (float) (1 / (1 + Math.exp(-z[r])));
    }
  }

  @Override
  protected LinearModel newInstance() {
    return new LogisticModel(in);
  }
}
