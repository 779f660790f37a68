package dev.annonet.testing;

import dev.annonet.Task;

/** Linear regression with the mean over samples and outputs of (f - y)^2. */
public final class SquaredErrorModel extends LinearModel {

  public SquaredErrorModel(int in, int out) {
    super(in, out);
  }

  @Override
  public int targetSize() {
    return out;
  }

  @Override
  public Task task() {
    return Task.REGRESSION;
  }

  @Override
  protected double loss(float[] z, float[] y, int batch, float[] dz) {
    double sum = 0;
    double scale = 1.0 / ((double) batch * out);
    for (int k = 0; k < batch * out; k++) {
      double e = (double) z[k] - y[k];
      sum += e * e;
      if (dz != null) {
        dz[k] = (float) (2 * e * scale);
      }
    }
    return sum * scale;
  }

  @Override
  protected void link(float[] z, int batch, float[] result) {
    System.arraycopy(z, 0, result, 0, batch * out);
  }

  @Override
  protected LinearModel newInstance() {
    return new SquaredErrorModel(in, out);
  }
}
