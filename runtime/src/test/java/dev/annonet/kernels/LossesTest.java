package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Checks the cross-entropy gradients against softmax and sigmoid computed in double, and that a
 * confident network's gradient holds zeros where the exact value is subnormal.
 */
class LossesTest {

  /** A loss over rows [from, from + rows) of whole arrays, as BatchSlices runs a slice. */
  private interface RowLoss {
    float of(float[] out, float[] y, float[] d, int from, int rows);
  }

  /**
   * Each loss over a range of rows read in place gives the bits of the same rows copied to row
   * 0, and writes its gradient into those rows only.
   */
  @Test
  void aRangeOfRowsInPlaceIsTheseRowsAlone() {
    int units = 3;
    int classes = 3;
    int steps = 2;
    int from = 5;
    int rows = 4;
    int total = 12;
    SplittableRandom rnd = new SplittableRandom(7);
    float[] out = Naive.random(rnd, total * steps * units, 2);
    float[] y = Naive.random(rnd, out.length, 2);
    float[] labels = new float[total * steps];
    for (int k = 0; k < labels.length; k++) {
      labels[k] = rnd.nextInt(classes);
    }
    RowLoss[] losses = {
        (o, t, d, f, r) -> Losses.squaredError(o, t, d, f * units, r * units),
        (o, t, d, f, r) -> Losses.halfSquaredError(o, t, d, f * units, r * units),
        (o, t, d, f, r) -> Losses.absoluteError(o, t, d, f * units, r * units),
        (o, t, d, f, r) -> Losses.huber(o, t, d, f * units, r * units, 0.7f),
        (o, t, d, f, r) -> Losses.binaryCrossEntropy(o, t, d, f * units, r * units),
        (o, t, d, f, r) -> Losses.softmaxCrossEntropy(o, t, d, f, r, classes),
        (o, t, d, f, r) -> Losses.sequenceCrossEntropy(o, t, d, f, r, steps, classes)};
    // Row widths of out and of the targets (values, or class labels), per loss above.
    int[] outWidth = {units, units, units, units, units, classes, steps * classes};
    int[] yWidth = {units, units, units, units, units, 1, steps};
    for (int i = 0; i < losses.length; i++) {
      float[] targets = yWidth[i] == units ? y : labels;
      float[] d = new float[out.length];
      float inPlace = losses[i].of(out, targets, d, from, rows);
      float[] aloneOut = java.util.Arrays.copyOfRange(out, from * outWidth[i],
          (from + rows) * outWidth[i]);
      float[] aloneY = java.util.Arrays.copyOfRange(targets, from * yWidth[i],
          (from + rows) * yWidth[i]);
      float[] aloneD = new float[aloneOut.length];
      float alone = losses[i].of(aloneOut, aloneY, aloneD, 0, rows);
      assertEquals(alone, inPlace, "loss " + i);
      assertArrayEquals(aloneD, java.util.Arrays.copyOfRange(d, from * outWidth[i],
          (from + rows) * outWidth[i]), "gradient " + i);
      for (int k = 0; k < d.length; k++) {
        if (k < from * outWidth[i] || k >= (from + rows) * outWidth[i]) {
          assertEquals(0f, d[k], "gradient " + i + " outside the rows, at " + k);
        }
      }
    }
  }

  @Test
  void sequenceCrossEntropyIsTheMeanOverBatchAndPositions() {
    int batch = 3;
    int steps = 4;
    int classes = 5;
    SplittableRandom rnd = new SplittableRandom(12);
    float[] logits = Naive.random(rnd, batch * steps * classes, 3);
    float[] labels = new float[batch * steps];
    for (int k = 0; k < labels.length; k++) {
      labels[k] = rnd.nextInt(classes);
    }
    float[] d = new float[logits.length];
    float[] flat = new float[logits.length];
    float loss = Losses.sequenceCrossEntropy(logits, labels, d, batch, steps, classes);
    // PyTorch's CrossEntropyLoss on the logits reshaped to [batch * steps, classes].
    float expected = Losses.softmaxCrossEntropy(logits, labels, flat, batch * steps, classes);
    assertEquals(expected, loss);
    assertArrayEquals(flat, d);
    labels[6] = 5;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Losses.sequenceCrossEntropy(logits, labels, d, batch, steps, classes));
    assertEquals("label 5.0 of sample 1, position 2 is not a class index in [0, 5): labels are"
        + " the integers 0..4", e.getMessage());
  }

  @Test
  void softmaxCrossEntropyGradientIsSoftmaxMinusOneHotOverBatch() {
    int batch = 7;
    int classes = 5;
    SplittableRandom rnd = new SplittableRandom(11);
    float[] logits = Naive.random(rnd, batch * classes, 4);
    float[] labels = new float[batch];
    for (int b = 0; b < batch; b++) {
      labels[b] = rnd.nextInt(classes);
    }
    float[] d = new float[logits.length];
    float loss = Losses.softmaxCrossEntropy(logits, labels, d, batch, classes);
    double expectedLoss = 0;
    for (int b = 0; b < batch; b++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, logits[b * classes + c]);
      }
      double total = 0;
      for (int c = 0; c < classes; c++) {
        total += Math.exp(logits[b * classes + c] - max);
      }
      int label = (int) labels[b];
      expectedLoss += Math.log(total) + max - logits[b * classes + label];
      for (int c = 0; c < classes; c++) {
        double p = Math.exp(logits[b * classes + c] - max) / total;
        double expected = ((c == label ? 1 : 0) * -1 + p) / batch;
        // Two float roundings (the kept exponential, the result): within 2.5 ulps.
        assertEquals(expected, d[b * classes + c], 3e-7 * Math.abs(expected),
            "row " + b + " class " + c);
      }
    }
    assertEquals(expectedLoss / batch, loss, 1e-6 * expectedLoss / batch);
  }

  @Test
  void aConfidentClassifiersGradientHasZerosNotSubnormals() {
    // Gaps of 90 to 100 give probabilities from 1e-39 to 1e-44: subnormal as floats.
    int classes = 4;
    float[] logits = {0, -90, -95, -100, 50, -50, -45, 0};
    float[] labels = {0, 0};
    float[] d = new float[logits.length];
    float loss = Losses.softmaxCrossEntropy(logits, labels, d, 2, classes);
    for (int i = 0; i < d.length; i++) {
      assertTrue(d[i] == 0 || Math.abs(d[i]) >= Float.MIN_NORMAL, "element " + i + ": " + d[i]);
    }
    assertEquals(0f, d[1]);
    // The second row's small but normal probability of class 3 (e^-50) stays.
    assertEquals(Math.exp(-50) / 2, d[7], 1e-7 * Math.exp(-50));
    assertTrue(loss >= 0 && loss < 1e-20, "loss " + loss);

    float[] z = {-100, 100, -90, 3};
    float[] y = {0, 1, 0, 1};
    float[] dz = new float[z.length];
    Losses.binaryCrossEntropy(z, y, dz, z.length);
    assertEquals(0f, dz[0]);
    assertEquals(0f, dz[1]);
    assertEquals(0f, dz[2]);
    assertEquals((1 / (1 + Math.exp(-3)) - 1) / 4, dz[3], 1e-7);
  }
}
