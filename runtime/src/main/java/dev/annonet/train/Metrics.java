package dev.annonet.train;

/**
 * Quality of a model on a data set: the mean loss, plus accuracy for classification or mean
 * squared and absolute error for regression; a metric that does not apply is {@code NaN}.
 *
 * @param loss the model's mean loss
 * @param accuracy share of correct predictions (argmax for multiclass, p > 0.5 for binary)
 * @param mse mean squared error over all target values (regression)
 * @param mae mean absolute error over all target values (regression)
 */
public record Metrics(double loss, double accuracy, double mse, double mae) {

  /** No data evaluated: every metric is {@code NaN}. */
  public static final Metrics NONE = new Metrics(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /** True when these metrics come from a data set (the loss is known). */
  public boolean present() {
    return !Double.isNaN(loss);
  }

  /** The metrics that apply, e.g. {@code loss 0.0812 accuracy 97.3%}. */
  @Override
  public String toString() {
    if (!present()) {
      return "none";
    }
    StringBuilder s = new StringBuilder("loss ").append(format(loss));
    if (!Double.isNaN(accuracy)) {
      s.append(String.format(" accuracy %.1f%%", 100 * accuracy));
    }
    if (!Double.isNaN(mse)) {
      s.append(" mse ").append(format(mse)).append(" mae ").append(format(mae));
    }
    return s.toString();
  }

  static String format(double v) {
    return String.format(Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? "%.4f" : "%.3e", v);
  }

  /** The index of the largest of {@code length} values from {@code offset}; the first on ties. */
  static int argmax(float[] values, int offset, int length) {
    int best = 0;
    for (int k = 1; k < length; k++) {
      if (values[offset + k] > values[offset + best]) {
        best = k;
      }
    }
    return best;
  }
}
