package dev.annonet.spark;

import java.io.Serializable;

/**
 * A running sum of slices for {@link Aggregation#TREE}: the rows and the row-weighted loss and
 * gradient sums in double, so partial sums combined in any order agree to double rounding.
 */
final class Partial implements Serializable {
  private static final long serialVersionUID = 1L;

  private int rows;
  private double lossSum;
  // Null until the first slice, so the zero value Spark ships to every task stays small.
  private double[] sums;

  /** Adds one partition's slice (its mean loss and gradient over its rows). */
  Partial add(Slice slice) {
    if (sums == null) {
      sums = new double[slice.gradient.length];
    }
    for (int i = 0; i < sums.length; i++) {
      sums[i] += (double) slice.gradient[i] * slice.rows;
    }
    lossSum += (double) slice.loss * slice.rows;
    rows += slice.rows;
    return this;
  }

  /** Adds another partial sum to this one. */
  Partial merge(Partial other) {
    if (other.sums == null) {
      return this;
    }
    if (sums == null) {
      return other;
    }
    for (int i = 0; i < sums.length; i++) {
      sums[i] += other.sums[i];
    }
    lossSum += other.lossSum;
    rows += other.rows;
    return this;
  }

  int rows() {
    return rows;
  }

  /** The mean loss over every row added. */
  float loss() {
    return (float) (lossSum / rows);
  }

  /** Writes the mean gradient over every row added into {@code into}. */
  void meanGradient(float[] into) {
    for (int i = 0; i < sums.length; i++) {
      into[i] = (float) (sums[i] / rows);
    }
  }
}
