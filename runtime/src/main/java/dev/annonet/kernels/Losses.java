package dev.annonet.kernels;

/**
 * The losses, each fused with its gradient: given the network's outputs {@code out} and the
 * targets {@code y} for a batch, returns the mean loss and, when {@code dOut} is not null, writes
 * the gradient of that mean with respect to every output. Means follow PyTorch's
 * {@code reduction='mean'}: over all elements for the regression losses, over the batch for the
 * cross-entropies. Sums are taken in double.
 */
public final class Losses {
  private Losses() {}

  /** {@code mean((o - y)^2)}, PyTorch's {@code MSELoss}; {@code n = batch * units}. */
  public static float squaredError(float[] out, float[] y, float[] dOut, int n) {
    return squaredError(out, y, dOut, 0, n);
  }

  /** As above for the elements {@code [off, off + n)} only: their mean and its gradient. */
  public static float squaredError(float[] out, float[] y, float[] dOut, int off, int n) {
    double sum = 0;
    float scale = 2f / n;
    for (int k = off; k < off + n; k++) {
      float r = out[k] - y[k];
      sum += (double) r * r;
      if (dOut != null) {
        dOut[k] = scale * r;
      }
    }
    return (float) (sum / n);
  }

  /** {@code mean(1/2 (o - y)^2)}: the gradient is {@code (o - y) / n}. */
  public static float halfSquaredError(float[] out, float[] y, float[] dOut, int n) {
    return halfSquaredError(out, y, dOut, 0, n);
  }

  /** As above for the elements {@code [off, off + n)} only: their mean and its gradient. */
  public static float halfSquaredError(float[] out, float[] y, float[] dOut, int off, int n) {
    double sum = 0;
    float scale = 1f / n;
    for (int k = off; k < off + n; k++) {
      float r = out[k] - y[k];
      sum += (double) r * r;
      if (dOut != null) {
        dOut[k] = scale * r;
      }
    }
    return (float) (0.5 * sum / n);
  }

  /** {@code mean(|o - y|)}, PyTorch's {@code L1Loss}; the derivative at 0 is 0 as in PyTorch. */
  public static float absoluteError(float[] out, float[] y, float[] dOut, int n) {
    return absoluteError(out, y, dOut, 0, n);
  }

  /** As above for the elements {@code [off, off + n)} only: their mean and its gradient. */
  public static float absoluteError(float[] out, float[] y, float[] dOut, int off, int n) {
    double sum = 0;
    float scale = 1f / n;
    for (int k = off; k < off + n; k++) {
      float r = out[k] - y[k];
      sum += Math.abs(r);
      if (dOut != null) {
        dOut[k] = scale * Math.signum(r);
      }
    }
    return (float) (sum / n);
  }

  /**
   * PyTorch's {@code HuberLoss(delta)}: {@code 1/2 r^2} for {@code |r| < delta}, else
   * {@code delta (|r| - delta / 2)}; the gradient is r clamped to {@code [-delta, delta]}.
   */
  public static float huber(float[] out, float[] y, float[] dOut, int n, float delta) {
    return huber(out, y, dOut, 0, n, delta);
  }

  /** As above for the elements {@code [off, off + n)} only: their mean and its gradient. */
  public static float huber(float[] out, float[] y, float[] dOut, int off, int n, float delta) {
    double sum = 0;
    float scale = 1f / n;
    for (int k = off; k < off + n; k++) {
      float r = out[k] - y[k];
      float a = Math.abs(r);
      sum += a < delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
      if (dOut != null) {
        dOut[k] = scale * Math.max(-delta, Math.min(delta, r));
      }
    }
    return (float) (sum / n);
  }

  /**
   * Binary cross-entropy on logits, PyTorch's {@code BCEWithLogitsLoss}, in the stable form
   * {@code max(z, 0) - z y + log(1 + exp(-|z|))}; the gradient is {@code (sigmoid(z) - y) / n}.
   */
  public static float binaryCrossEntropy(float[] logits, float[] y, float[] dOut, int n) {
    return binaryCrossEntropy(logits, y, dOut, 0, n);
  }

  /** As above for the elements {@code [off, off + n)} only: their mean and its gradient. */
  public static float binaryCrossEntropy(float[] logits, float[] y, float[] dOut, int off, int n) {
    double sum = 0;
    float scale = 1f / n;
    for (int k = off; k < off + n; k++) {
      float z = logits[k];
      sum += Math.max(z, 0) - (double) z * y[k] + Math.log1p(Math.exp(-Math.abs(z)));
      if (dOut != null) {
        dOut[k] = flushSubnormal(scale * (sigmoid(z) - y[k]));
      }
    }
    return (float) (sum / n);
  }

  /**
   * Softmax cross-entropy on logits {@code [batch][classes]} with class-index targets, PyTorch's
   * {@code CrossEntropyLoss}: {@code logsumexp(z) - z[label]} averaged over the batch; the
   * gradient is {@code (softmax(z) - onehot(label)) / batch}.
   *
   * @throws IllegalArgumentException if a label is not an integer in {@code [0, classes)}
   */
  public static float softmaxCrossEntropy(
      float[] logits, float[] labels, float[] dOut, int batch, int classes) {
    return softmaxCrossEntropy(logits, labels, dOut, 0, batch, classes);
  }

  /**
   * As above for the rows {@code [from, from + batch)} only: their mean and its gradient; a bad
   * label is named by its row.
   */
  public static float softmaxCrossEntropy(
      float[] logits, float[] labels, float[] dOut, int from, int batch, int classes) {
    double sum = 0;
    float scale = 1f / batch;
    for (int b = from; b < from + batch; b++) {
      int row = b * classes;
      int label = label(labels[b], b, classes);
      float max = logits[row];
      for (int c = 1; c < classes; c++) {
        max = Math.max(max, logits[row + c]);
      }
      double total = 0;
      for (int c = 0; c < classes; c++) {
        double e = Math.exp(logits[row + c] - max);
        total += e;
        if (dOut != null) {
          // The unnormalised probability, kept for the gradient: one exp per logit.
          dOut[row + c] = (float) e;
        }
      }
      double logTotal = Math.log(total);
      sum += logTotal + max - logits[row + label];
      if (dOut != null) {
        for (int c = 0; c < classes; c++) {
          double p = dOut[row + c] / total;
          dOut[row + c] = flushSubnormal((float) (scale * (c == label ? p - 1 : p)));
        }
      }
    }
    return (float) (sum / batch);
  }

  /**
   * Softmax cross-entropy at every position of a sequence: logits {@code [batch][steps][classes]},
   * labels {@code [batch][steps]} class indices; the mean over the batch and the positions, as
   * PyTorch's {@code CrossEntropyLoss} on the logits reshaped to {@code [batch * steps, classes]}.
   *
   * @throws IllegalArgumentException naming the sample and the position of a label that is not
   *     an integer in {@code [0, classes)}
   */
  public static float sequenceCrossEntropy(
      float[] logits, float[] labels, float[] dOut, int batch, int steps, int classes) {
    return sequenceCrossEntropy(logits, labels, dOut, 0, batch, steps, classes);
  }

  /** As above for the samples {@code [from, from + batch)} only. */
  public static float sequenceCrossEntropy(float[] logits, float[] labels, float[] dOut,
      int from, int batch, int steps, int classes) {
    for (int b = from; b < from + batch; b++) {
      for (int t = 0; t < steps; t++) {
        float value = labels[b * steps + t];
        if ((int) value != value || value < 0 || value >= classes) {
          throw new IllegalArgumentException(
              "label " + value + " of sample " + b + ", position " + t + " is not a class index"
                  + " in [0, " + classes + "): labels are the integers 0.." + (classes - 1));
        }
      }
    }
    return softmaxCrossEntropy(logits, labels, dOut, from * steps, batch * steps, classes);
  }

  /**
   * {@code v}, or zero when its magnitude is subnormal (below {@link Float#MIN_NORMAL}, about
   * 1.2e-38). A confident classifier's gradient is full of such values, far below anything that
   * moves a parameter, and on some CPUs (Intel's among them) every multiply that reads or makes
   * one takes a slow microcode path: left in, they slowed a whole training step by half.
   */
  static float flushSubnormal(float v) {
    return Math.abs(v) < Float.MIN_NORMAL ? 0f : v;
  }

  /** Replaces each row of {@code a} ({@code [batch][n]}) by its softmax. */
  public static void softmaxInPlace(float[] a, int batch, int n) {
    for (int b = 0; b < batch; b++) {
      int row = b * n;
      float max = a[row];
      for (int c = 1; c < n; c++) {
        max = Math.max(max, a[row + c]);
      }
      double total = 0;
      for (int c = 0; c < n; c++) {
        total += Math.exp(a[row + c] - max);
      }
      for (int c = 0; c < n; c++) {
        a[row + c] = (float) (Math.exp(a[row + c] - max) / total);
      }
    }
  }

  /**
   * Turns {@code d} = dL/ds into dL/dz in place for {@code s = softmax(z)} given {@code s}:
   * {@code dz = s * (ds - sum(ds * s))}, row by row.
   */
  public static void softmaxBackwardInPlace(float[] d, float[] s, int batch, int n) {
    for (int b = 0; b < batch; b++) {
      int row = b * n;
      double dot = 0;
      for (int c = 0; c < n; c++) {
        dot += (double) d[row + c] * s[row + c];
      }
      for (int c = 0; c < n; c++) {
        d[row + c] = (float) (s[row + c] * (d[row + c] - dot));
      }
    }
  }

  /** Replaces each element of {@code a[0, n)} by its sigmoid. */
  public static void sigmoidInPlace(float[] a, int n) {
    for (int k = 0; k < n; k++) {
      a[k] = sigmoid(a[k]);
    }
  }

  static float sigmoid(float z) {
    return (float) (1.0 / (1.0 + Math.exp(-z)));
  }

  private static int label(float value, int row, int classes) {
    int label = (int) value;
    if (label != value || label < 0 || label >= classes) {
      throw new IllegalArgumentException(
          "label " + value + " of sample " + row + " is not a class index in [0, " + classes
              + "): labels are the integers 0.." + (classes - 1));
    }
    return label;
  }
}
