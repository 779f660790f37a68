package dev.annonet.testing;

import dev.annonet.LayerInfo;
import dev.annonet.Model;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A hand-written one-layer model z = W x + b (W laid out [out][in], then b) for testing the
 * trainer; subclasses supply the loss on z, its gradient and the prediction.
 */
public abstract class LinearModel implements Model {
  private boolean training = true;

  @Override
  public void setTraining(boolean training) {
    this.training = training;
  }

  @Override
  public boolean isTraining() {
    return training;
  }


  protected final int in;
  protected final int out;
  private final float[] params;
  private final float[] grads;
  private float[] z = new float[0];
  private float[] dz = new float[0];
  private int capacity;

  protected LinearModel(int in, int out) {
    this.in = in;
    this.out = out;
    this.params = new float[out * in + out];
    this.grads = new float[params.length];
  }

  /** Mean loss over the batch given logits z; when dz is non-null, writes dLoss/dz into it. */
  protected abstract double loss(float[] z, float[] y, int batch, float[] dz);

  /** Turns logits into predictions in place. */
  protected abstract void link(float[] z, int batch, float[] out);

  protected abstract LinearModel newInstance();

  @Override
  public String name() {
    return getClass().getSimpleName();
  }

  @Override
  public int inputSize() {
    return in;
  }

  @Override
  public int outputSize() {
    return out;
  }

  @Override
  public List<LayerInfo> layers() {
    return List.of(new LayerInfo("linear", "Dense", "", new int[] {out}, 0,
        new int[] {out, in}, out * in, out));
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
    SplittableRandom random = new SplittableRandom(seed);
    double limit = Math.sqrt(6.0 / (in + out));
    for (int i = 0; i < out * in; i++) {
      params[i] = (float) random.nextDouble(-limit, limit);
    }
    for (int i = out * in; i < params.length; i++) {
      params[i] = 0;
    }
  }

  @Override
  public void reserve(int batch) {
    if (batch > capacity) {
      z = new float[batch * out];
      dz = new float[batch * out];
      capacity = batch;
    }
  }

  private void forward(float[] x, int batch) {
    reserve(batch);
    for (int r = 0; r < batch; r++) {
      for (int o = 0; o < out; o++) {
        double s = params[out * in + o];
        for (int i = 0; i < in; i++) {
          s += (double) params[o * in + i] * x[r * in + i];
        }
        z[r * out + o] = (float) s;
      }
    }
  }

  @Override
  public float lossAndGradient(float[] x, float[] y, int batch) {
    forward(x, batch);
    float loss = (float) loss(z, y, batch, dz);
    for (int o = 0; o < out; o++) {
      double gb = 0;
      for (int i = 0; i < in; i++) {
        double g = 0;
        for (int r = 0; r < batch; r++) {
          g += (double) dz[r * out + o] * x[r * in + i];
        }
        grads[o * in + i] = (float) g;
      }
      for (int r = 0; r < batch; r++) {
        gb += dz[r * out + o];
      }
      grads[out * in + o] = (float) gb;
    }
    return loss;
  }

  @Override
  public float loss(float[] x, float[] y, int batch) {
    forward(x, batch);
    return (float) loss(z, y, batch, null);
  }

  @Override
  public void predict(float[] x, int batch, float[] result) {
    forward(x, batch);
    link(z, batch, result);
  }

  @Override
  public Model copy() {
    LinearModel copy = newInstance();
    System.arraycopy(params, 0, copy.params, 0, params.length);
    return copy;
  }
}
