package dev.annonet.train;

import dev.annonet.Model;
import dev.annonet.Models;
import dev.annonet.Task;
import dev.annonet.data.Dataset;

/**
 * Quality of a model on a data set: the mean loss, plus accuracy for classification or mean
 * squared and absolute error for regression; a metric that does not apply is {@code NaN}.
 *
 * @param loss the model's mean loss
 * @param accuracy share of correct predictions (argmax for multiclass, at each position for a
 *     per-position classifier; p > 0.5 for binary)
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

  /**
   * The metrics of {@code model} on {@code data}, measured as the trainer measures its
   * validation set: in inference mode (the model's mode is restored afterwards), in chunks of at
   * most 1,024 rows, the loss averaged over every row.
   *
   * @throws IllegalArgumentException if {@code data} does not fit the model (widths, labels),
   *     naming the problem and the fix
   */
  public static Metrics of(Model model, Dataset data) {
    if (model == null || data == null) {
      throw new IllegalArgumentException("Metrics.of: model and data must not be null");
    }
    Models.checkData(model, data, "dataset");
    int chunk = Math.min(data.size(), Run.EVALUATION_CHUNK);
    float[] x = new float[chunk * model.inputSize()];
    float[] y = new float[chunk * model.targetSize()];
    float[] predictions = new float[chunk * model.outputSize()];
    boolean training = model.isTraining();
    model.setTraining(false);
    try {
      model.reserve(chunk);
      return measure(model, data, chunk, x, y, predictions);
    } finally {
      model.setTraining(training);
    }
  }

  /**
   * The metrics of {@code model}, in its current mode, on {@code data}, through buffers that
   * hold {@code chunk} rows of inputs, targets and outputs (allocates only the result).
   */
  static Metrics measure(Model model, Dataset data, int chunk, float[] x, float[] y,
      float[] predictions) {
    Task task = model.task();
    int outputs = model.outputSize();
    int targets = model.targetSize();
    // A per-position classifier scores each of its steps' classes on its own.
    int steps = model.steps();
    int classes = outputs / steps;
    double lossSum = 0;
    long correct = 0;
    double squares = 0;
    double absolutes = 0;
    int rows = data.size();
    for (int start = 0; start < rows; start += chunk) {
      int count = Math.min(chunk, rows - start);
      data.copyRows(start, count, x, y);
      lossSum += (double) model.loss(x, y, count) * count;
      model.predict(x, count, predictions);
      for (int r = 0; r < count; r++) {
        if (task == Task.MULTICLASS) {
          for (int t = 0; t < steps; t++) {
            int at = r * steps + t;
            correct += argmax(predictions, at * classes, classes) == (int) y[at] ? 1 : 0;
          }
        } else {
          for (int k = 0; k < targets; k++) {
            float p = predictions[r * outputs + k];
            float t = y[r * targets + k];
            if (task == Task.BINARY) {
              correct += (p > 0.5f) == (t > 0.5f) ? 1 : 0;
            } else {
              double e = (double) p - t;
              squares += e * e;
              absolutes += Math.abs(e);
            }
          }
        }
      }
    }
    double loss = lossSum / rows;
    switch (task) {
      case MULTICLASS:
        return new Metrics(loss, (double) correct / ((long) rows * steps), Double.NaN,
            Double.NaN);
      case BINARY:
        return new Metrics(loss, (double) correct / ((long) rows * targets), Double.NaN,
            Double.NaN);
      default:
        long values = (long) rows * targets;
        return new Metrics(loss, Double.NaN, squares / values, absolutes / values);
    }
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
