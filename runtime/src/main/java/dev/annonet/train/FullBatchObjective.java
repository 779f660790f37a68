package dev.annonet.train;

import dev.annonet.Model;
import dev.annonet.Models;
import dev.annonet.data.Dataset;
import dev.annonet.optim.Objective;

/**
 * A model's mean loss over a whole data set as a function of its parameters: the objective that
 * full-batch optimizers (line search, {@code GradientDescent.withEstimatedLipschitz()}) get from
 * the trainer, and that {@link #of} builds for a model and data set at hand, for example to
 * {@linkplain dev.annonet.optim.Lipschitz estimate} the Lipschitz constant of its gradient.
 *
 * <p>Any {@code theta} can be evaluated: the model's parameters are swapped out for it and put
 * back, so the model is left as it was (its gradient buffer aside, which evaluations overwrite).
 * The model is used in whatever mode it is in (training or inference). Evaluations allocate
 * nothing.
 */
public final class FullBatchObjective implements Objective {

  private final Model model;
  private final float[] x;
  private final float[] y;
  private final int n;
  private final float[] params;
  private final float[] grads;
  private final float[] saved;

  /** The loss of {@code model} on the {@code n} rows held in {@code x} and {@code y}. */
  FullBatchObjective(Model model, float[] x, float[] y, int n) {
    this.model = model;
    this.x = x;
    this.y = y;
    this.n = n;
    this.params = model.parameters();
    this.grads = model.gradients();
    this.saved = new float[params.length];
  }

  /**
   * The mean loss of {@code model} over all of {@code data}, whose rows are copied now; the
   * model's buffers are sized for the whole set in one pass.
   *
   * @throws IllegalArgumentException if the data does not fit the model or is empty
   */
  public static FullBatchObjective of(Model model, Dataset data) {
    if (model == null || data == null) {
      throw new IllegalArgumentException("FullBatchObjective.of: the model and the data must"
          + " not be null");
    }
    Models.checkData(model, data, "dataset");
    int n = data.size();
    if (n == 0) {
      throw new IllegalArgumentException("FullBatchObjective.of: the data set is empty");
    }
    model.reserve(n);
    float[] x = new float[n * model.inputSize()];
    float[] y = new float[n * model.targetSize()];
    data.copyRows(0, n, x, y);
    return new FullBatchObjective(model, x, y, n);
  }

  @Override
  public int dimension() {
    return params.length;
  }

  @Override
  public double value(float[] theta) {
    if (theta == params) {
      return model.loss(x, y, n);
    }
    // The model evaluates its own buffer: swap theta in, then restore the parameters.
    swapIn(theta);
    double value = model.loss(x, y, n);
    System.arraycopy(saved, 0, params, 0, params.length);
    return value;
  }

  @Override
  public double valueAndGradient(float[] theta, float[] gradient) {
    double value;
    if (theta == params) {
      value = model.lossAndGradient(x, y, n);
    } else {
      swapIn(theta);
      value = model.lossAndGradient(x, y, n);
      System.arraycopy(saved, 0, params, 0, params.length);
    }
    if (gradient != grads) {
      System.arraycopy(grads, 0, gradient, 0, grads.length);
    }
    return value;
  }

  private void swapIn(float[] theta) {
    System.arraycopy(params, 0, saved, 0, params.length);
    System.arraycopy(theta, 0, params, 0, params.length);
  }
}
