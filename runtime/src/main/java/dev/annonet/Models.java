package dev.annonet;

import dev.annonet.data.Dataset;
import dev.annonet.kernels.Embedding;

/** Checks that generated models run before touching their buffers, so errors name the cause. */
public final class Models {
  private Models() {}

  /** Throws a clear exception unless {@code x} and {@code y} hold {@code batch} samples. */
  public static void checkBatch(Model model, float[] x, float[] y, int batch) {
    checkBatch(model, x, batch);
    if (y.length < (long) batch * model.targetSize()) {
      throw new IllegalArgumentException(
          model.name() + ": y has " + y.length + " floats, fewer than batch " + batch + " x "
              + model.targetSize() + " targets per sample");
    }
  }

  /** Throws a clear exception unless {@code x} holds {@code batch} samples. */
  public static void checkBatch(Model model, float[] x, int batch) {
    if (batch <= 0) {
      throw new IllegalArgumentException(
          model.name() + ": batch size must be positive, got " + batch);
    }
    if (x.length < (long) batch * model.inputSize()) {
      throw new IllegalArgumentException(
          model.name() + ": x has " + x.length + " floats, fewer than batch " + batch + " x "
              + model.inputSize() + " inputs per sample");
    }
  }

  /**
   * Throws a clear exception, naming the sample, the position, the value and the fix, unless
   * every input of {@code data} is a token id of {@code model} ({@link Model#vocabulary()}).
   */
  private static void checkTokens(Model model, Dataset data, String name) {
    try {
      for (int i = 0; i < data.size(); i++) {
        for (int t = 0; t < data.inputSize(); t++) {
          Embedding.id(data.feature(i, t), i, t, model.vocabulary());
        }
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the " + name + "'s " + e.getMessage(), e);
    }
  }

  /**
   * Throws a clear exception, naming the row and the fix, unless {@code data} fits the model:
   * its feature and target widths, and for classifiers whole class indices in range (0 or 1 for
   * a binary network). {@code name} says which data set it is in the message ("dataset",
   * "validation dataset").
   */
  public static void checkData(Model model, Dataset data, String name) {
    if (data.inputSize() != model.inputSize()) {
      throw new IllegalArgumentException("the network takes " + model.inputSize()
          + " inputs per sample but the " + name + " rows have " + data.inputSize()
          + " values: give it " + model.inputSize() + " feature columns (is the target column "
          + "among the features?) or change the network's @Input size");
    }
    if (model.vocabulary() > 0) {
      checkTokens(model, data, name);
    }
    int steps = model.steps();
    if (data.targetSize() != model.targetSize()) {
      String wanted = model.task() == Task.MULTICLASS
          ? (steps == 1 ? "1 target per sample (a class index)"
              : steps + " targets per sample (a class index per position)")
          : model.targetSize() + " target(s) per sample, one per output";
      throw new IllegalArgumentException("the network takes " + wanted + " but the " + name
          + " has " + data.targetSize() + " per row: "
          + (model.task() == Task.MULTICLASS
              ? "store labels as class indices, not one-hot vectors"
              : "give it " + model.targetSize() + " target columns or change the last layer"));
    }
    if (model.task() == Task.MULTICLASS) {
      int classes = model.outputSize() / steps;
      for (int i = 0; i < data.size(); i++) {
        for (int t = 0; t < steps; t++) {
          float label = data.target(i, t);
          String where = "row " + i + (steps == 1 ? "" : ", position " + t);
          if (label != Math.rint(label)) {
            throw new IllegalArgumentException(where + " of the " + name + " has label "
                + label + ", which is not a class index: labels must be whole numbers 0.."
                + (classes - 1) + " (is this a regression target?)");
          }
          if (label < 0 || label >= classes) {
            throw new IllegalArgumentException(where + " of the " + name + " has label "
                + (int) label + " but the network has " + classes + " classes (labels 0.."
                + (classes - 1) + "): re-encode the labels or give the last layer more units");
          }
        }
      }
    } else if (model.task() == Task.BINARY) {
      for (int i = 0; i < data.size(); i++) {
        for (int k = 0; k < data.targetSize(); k++) {
          float t = data.target(i, k);
          if (t != 0 && t != 1) {
            throw new IllegalArgumentException("row " + i + ", target column " + k + " of the "
                + name + " is " + t + " but a binary network needs targets 0 or 1: "
                + "re-encode the target (or use a regression loss)");
          }
        }
      }
    }
  }
}
