package dev.annonet.plot;

import dev.annonet.LayerInfo;
import dev.annonet.Model;
import dev.annonet.Task;
import dev.annonet.data.Dataset;
import java.util.List;

/**
 * A hand-written model {@code f(x) = w x + b} with squared error, enough to run the real
 * {@link dev.annonet.train.Trainer} and get a real history without the annotation processor.
 */
final class LineModel implements Model {
  private final float[] params = new float[2];
  private final float[] grads = new float[2];
  private boolean training = true;

  /** {@code n} points of {@code y = 3 x - 1} with x in [-1, 1]. */
  static Dataset line(int n) {
    float[][] x = new float[n][1];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = -1 + 2f * i / (n - 1);
      y[i] = 3 * x[i][0] - 1;
    }
    return Dataset.regression(x, y);
  }

  @Override
  public String name() {
    return "LineModel";
  }

  @Override
  public int inputSize() {
    return 1;
  }

  @Override
  public int outputSize() {
    return 1;
  }

  @Override
  public int targetSize() {
    return 1;
  }

  @Override
  public Task task() {
    return Task.REGRESSION;
  }

  @Override
  public List<LayerInfo> layers() {
    return List.of(new LayerInfo("line", "Dense", "", new int[] {1}, 0, new int[] {1, 1}, 1, 1));
  }

  @Override
  public float[] parameters() {
    return params;
  }

  @Override
  public float[] gradients() {
    return grads;
  }

  @Override
  public void initialize(long seed) {
    params[0] = 0;
    params[1] = 0;
  }

  @Override
  public void setTraining(boolean training) {
    this.training = training;
  }

  @Override
  public boolean isTraining() {
    return training;
  }

  @Override
  public void reserve(int batch) {}

  @Override
  public float lossAndGradient(float[] x, float[] y, int batch) {
    double loss = 0;
    double gw = 0;
    double gb = 0;
    for (int i = 0; i < batch; i++) {
      double r = params[0] * x[i] + params[1] - y[i];
      loss += r * r;
      gw += 2 * r * x[i];
      gb += 2 * r;
    }
    grads[0] = (float) (gw / batch);
    grads[1] = (float) (gb / batch);
    return (float) (loss / batch);
  }

  @Override
  public float loss(float[] x, float[] y, int batch) {
    double loss = 0;
    for (int i = 0; i < batch; i++) {
      double r = params[0] * x[i] + params[1] - y[i];
      loss += r * r;
    }
    return (float) (loss / batch);
  }

  @Override
  public void predict(float[] x, int batch, float[] out) {
    for (int i = 0; i < batch; i++) {
      out[i] = params[0] * x[i] + params[1];
    }
  }

  @Override
  public Model copy() {
    LineModel m = new LineModel();
    System.arraycopy(params, 0, m.params, 0, 2);
    return m;
  }
}
