package dev.annonet.train;

import dev.annonet.Model;
import dev.annonet.Task;
import dev.annonet.data.Dataset;

/**
 * Counts of a classifier's predictions by actual and predicted class, with per-class precision
 * and recall: {@code ConfusionMatrix.of(model, test)}. Row {@code a}, column {@code p} counts the
 * samples of class {@code a} predicted as {@code p}.
 */
public final class ConfusionMatrix {

  private final long[][] counts;
  private final long total;

  private ConfusionMatrix(long[][] counts) {
    this.counts = counts;
    long sum = 0;
    for (long[] row : counts) {
      for (long c : row) {
        sum += c;
      }
    }
    this.total = sum;
  }

  /**
   * The matrix of {@code model}'s predictions on {@code data}, in inference mode (the model's
   * mode is restored afterwards): the argmax of the outputs for a softmax classifier, output >
   * 0.5 (class 1) for a binary one with a single output.
   */
  public static ConfusionMatrix of(Model model, Dataset data) {
    if (model == null || data == null) {
      throw new IllegalArgumentException("ConfusionMatrix.of: model and data must not be null");
    }
    boolean binary = model.task() == Task.BINARY && model.outputSize() == 1;
    if (model.task() != Task.MULTICLASS && !binary) {
      throw new IllegalArgumentException("a confusion matrix needs a classifier, but "
          + model.name() + " is a " + (model.task() == Task.BINARY
              ? "binary network with " + model.outputSize() + " outputs (one per label)"
              : "regression network")
          + ": use the mse and mae of the trainer's Metrics instead");
    }
    if (model.steps() > 1) {
      throw new IllegalArgumentException("a confusion matrix counts one class per sample, but "
          + model.name() + " classifies each of " + model.steps() + " positions: use the "
          + "per-position accuracy of the trainer's Metrics instead");
    }
    if (data.inputSize() != model.inputSize()) {
      throw new IllegalArgumentException("the network takes " + model.inputSize()
          + " inputs per sample but the dataset rows have " + data.inputSize() + " values");
    }
    int classes = binary ? 2 : model.outputSize();
    int[] actual = data.labels();
    int rows = data.size();
    int chunk = Math.min(rows, Run.EVALUATION_CHUNK);
    int outputs = model.outputSize();
    float[] x = new float[chunk * model.inputSize()];
    float[] y = new float[chunk * data.targetSize()];
    float[] out = new float[chunk * outputs];
    int[] predicted = new int[rows];
    boolean training = model.isTraining();
    model.setTraining(false);
    try {
      model.reserve(chunk);
      for (int start = 0; start < rows; start += chunk) {
        int count = Math.min(chunk, rows - start);
        data.copyRows(start, count, x, y);
        model.predict(x, count, out);
        for (int r = 0; r < count; r++) {
          predicted[start + r] = binary ? (out[r] > 0.5f ? 1 : 0)
              : Metrics.argmax(out, r * outputs, outputs);
        }
      }
    } finally {
      model.setTraining(training);
    }
    return of(classes, actual, predicted);
  }

  /** The matrix of {@code predicted} against {@code actual} class indices in 0..classes-1. */
  public static ConfusionMatrix of(int classes, int[] actual, int[] predicted) {
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be at least 1, got " + classes);
    }
    if (actual.length != predicted.length) {
      throw new IllegalArgumentException("there are " + actual.length + " actual labels but "
          + predicted.length + " predictions: give one prediction per sample");
    }
    long[][] counts = new long[classes][classes];
    for (int i = 0; i < actual.length; i++) {
      counts[checkClass(actual[i], classes, i)][checkClass(predicted[i], classes, i)]++;
    }
    return new ConfusionMatrix(counts);
  }

  private static int checkClass(int label, int classes, int sample) {
    if (label < 0 || label >= classes) {
      throw new IllegalArgumentException("sample " + sample + " has class " + label
          + " but the matrix has classes 0.." + (classes - 1) + ": re-encode the labels or "
          + "give the network more outputs");
    }
    return label;
  }

  /** Number of classes (rows and columns). */
  public int classes() {
    return counts.length;
  }

  /** Samples of class {@code actual} predicted as {@code predicted}. */
  public long count(int actual, int predicted) {
    return counts[actual][predicted];
  }

  /** Number of samples counted. */
  public long total() {
    return total;
  }

  /** Samples predicted as their own class (the diagonal). */
  public long correct() {
    long sum = 0;
    for (int c = 0; c < counts.length; c++) {
      sum += counts[c][c];
    }
    return sum;
  }

  /** Share of samples predicted correctly. */
  public double accuracy() {
    return (double) correct() / total;
  }

  /** Samples whose actual class is {@code c} (row sum). */
  public long support(int c) {
    long sum = 0;
    for (long n : counts[c]) {
      sum += n;
    }
    return sum;
  }

  /** Samples predicted as {@code c} (column sum). */
  public long predictedAs(int c) {
    long sum = 0;
    for (long[] row : counts) {
      sum += row[c];
    }
    return sum;
  }

  /** Of the samples predicted as {@code c}, the share that are {@code c}; NaN if none were. */
  public double precision(int c) {
    long predicted = predictedAs(c);
    return predicted == 0 ? Double.NaN : (double) counts[c][c] / predicted;
  }

  /** Of the samples of class {@code c}, the share predicted as {@code c}; NaN if there are none. */
  public double recall(int c) {
    long support = support(c);
    return support == 0 ? Double.NaN : (double) counts[c][c] / support;
  }

  /**
   * The table with actual classes as rows and predicted classes as columns, each row ending in
   * the class's recall and a last line of precisions; {@code -} where a share is undefined.
   */
  @Override
  public String toString() {
    int width = Math.max(7, Long.toString(total).length() + 1);
    String cell = "%" + width + "s";
    StringBuilder s = new StringBuilder(String.format(
        "confusion matrix of %d samples (rows: actual class, columns: predicted), accuracy %s%n",
        total, percent(accuracy())));
    s.append(String.format("%-9s", "actual"));
    for (int p = 0; p < classes(); p++) {
      s.append(String.format(cell, p));
    }
    s.append(String.format(cell, "recall")).append('\n');
    for (int a = 0; a < classes(); a++) {
      s.append(String.format("%-9s", a));
      for (int p = 0; p < classes(); p++) {
        s.append(String.format(cell, counts[a][p]));
      }
      s.append(String.format(cell, percent(recall(a)))).append('\n');
    }
    s.append(String.format("%-9s", "precision"));
    for (int p = 0; p < classes(); p++) {
      s.append(String.format(cell, percent(precision(p))));
    }
    return s.append('\n').toString();
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "-" : String.format("%.1f%%", 100 * share);
  }
}
