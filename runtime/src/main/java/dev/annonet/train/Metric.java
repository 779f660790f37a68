package dev.annonet.train;

import dev.annonet.Task;

/**
 * A validation-set metric that {@link Trainer#earlyStopping} can watch, with the direction in
 * which it improves.
 */
public enum Metric {
  /** The mean loss on the validation set; lower is better. Applies to every network. */
  LOSS("validation loss", false),
  /** Share of correct predictions on the validation set; higher is better (classifiers). */
  ACCURACY("validation accuracy", true),
  /** Mean squared error on the validation set; lower is better (regression). */
  MSE("validation mse", false),
  /** Mean absolute error on the validation set; lower is better (regression). */
  MAE("validation mae", false);

  private final String label;
  private final boolean higherIsBetter;

  Metric(String label, boolean higherIsBetter) {
    this.label = label;
    this.higherIsBetter = higherIsBetter;
  }

  /** This metric's value in {@code metrics} ({@code NaN} when it was not measured). */
  public double of(Metrics metrics) {
    switch (this) {
      case LOSS:
        return metrics.loss();
      case ACCURACY:
        return metrics.accuracy();
      case MSE:
        return metrics.mse();
      default:
        return metrics.mae();
    }
  }

  /** True for accuracy, false for the losses and errors. */
  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** True when {@code candidate} is strictly better than {@code best}; a NaN is never better. */
  public boolean improves(double candidate, double best) {
    if (Double.isNaN(candidate)) {
      return false;
    }
    if (Double.isNaN(best)) {
      return true;
    }
    return higherIsBetter ? candidate > best : candidate < best;
  }

  /** Whether the trainer measures this metric for a network of {@code task}. */
  public boolean appliesTo(Task task) {
    switch (this) {
      case LOSS:
        return true;
      case ACCURACY:
        return task != Task.REGRESSION;
      default:
        return task == Task.REGRESSION;
    }
  }

  /** The metric's name in messages, e.g. {@code validation loss}. */
  @Override
  public String toString() {
    return label;
  }
}
