package dev.annonet.testing;

import dev.annonet.Task;

/** Softmax regression with the mean cross-entropy; targets are class indices. */
public final class SoftmaxModel extends LinearModel {

  public SoftmaxModel(int in, int classes) {
    super(in, classes);
  }

  @Override
  public int targetSize() {
    return 1;
  }

  @Override
  public Task task() {
    return Task.MULTICLASS;
  }

  @Override
  protected double loss(float[] z, float[] y, int batch, float[] dz) {
    double sum = 0;
    for (int r = 0; r < batch; r++) {
      int base = r * out;
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < out; k++) {
        max = Math.max(max, z[base + k]);
      }
      double norm = 0;
      for (int k = 0; k < out; k++) {
        norm += Math.exp(z[base + k] - max);
      }
      int label = (int) y[r];
      sum += Math.log(norm) - (z[base + label] - max);
      if (dz != null) {
        for (int k = 0; k < out; k++) {
          double p = Math.exp(z[base + k] - max) / norm;
          dz[base + k] = (float) ((p - (k == label ? 1 : 0)) / batch);
        }
      }
    }
    return sum / batch;
  }

  @Override
  protected void link(float[] z, int batch, float[] result) {
    for (int r = 0; r < batch; r++) {
      int base = r * out;
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < out; k++) {
        max = Math.max(max, z[base + k]);
      }
      double norm = 0;
      for (int k = 0; k < out; k++) {
        norm += Math.exp(z[base + k] - max);
      }
      for (int k = 0; k < out; k++) {
        result[base + k] = (float) (Math.exp(z[base + k] - max) / norm);
      }
    }
  }

  @Override
  protected LinearModel newInstance() {
    return new SoftmaxModel(in, out);
  }
}
