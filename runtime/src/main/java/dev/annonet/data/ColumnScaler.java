package dev.annonet.data;

import java.util.Arrays;

/**
 * A per-column affine rescaling {@code v' = (v - shift[c]) / scale[c]}, fitted on one data set
 * and applied to others so that test data see the training data's statistics.
 */
public abstract sealed class ColumnScaler permits Standardizer, MinMaxScaler {

  private final float[] shift;
  private final float[] scale;

  ColumnScaler(double[] shift, double[] scale) {
    this.shift = new float[shift.length];
    this.scale = new float[scale.length];
    for (int c = 0; c < shift.length; c++) {
      this.shift[c] = (float) shift[c];
      // A constant column has no spread to divide by: leave it centred but unscaled.
      this.scale[c] = scale[c] > 0 ? (float) scale[c] : 1f;
    }
  }

  /** Number of columns this scaler was fitted on. */
  public int width() {
    return shift.length;
  }

  /** The value subtracted from each column. */
  public float[] shift() {
    return shift.clone();
  }

  /** The divisor of each column (1 for a constant column). */
  public float[] scale() {
    return scale.clone();
  }

  /** {@code data} with its features rescaled; its width must match the fitted width. */
  public Dataset applyToFeatures(Dataset data) {
    requireWidth(data.inputSize(), "features");
    return data.mapFeatures(this::apply);
  }

  /** {@code data} with its targets rescaled; its width must match the fitted width. */
  public Dataset applyToTargets(Dataset data) {
    requireWidth(data.targetSize(), "targets");
    return data.mapTargets(this::apply);
  }

  /** The rescaled value of {@code value} in column {@code column}. */
  public float apply(int column, float value) {
    return (value - shift[column]) / scale[column];
  }

  /** The original value of a rescaled {@code value} in column {@code column}. */
  public float inverse(int column, float value) {
    return value * scale[column] + shift[column];
  }

  /** Rescales flat row-major {@code values} (rows of {@link #width()} columns) in place. */
  public void applyInPlace(float[] values) {
    if (values.length % shift.length != 0) {
      throw new IllegalArgumentException(values.length + " values are not whole rows of "
          + shift.length + " columns: give rows of the width this scaler was fitted on");
    }
    for (int i = 0; i < values.length; i++) {
      values[i] = apply(i % shift.length, values[i]);
    }
  }

  /**
   * Undoes the rescaling in place on flat row-major {@code values} (e.g. predictions of a
   * network trained on rescaled targets).
   */
  public void inverseInPlace(float[] values) {
    for (int i = 0; i < values.length; i++) {
      values[i] = inverse(i % shift.length, values[i]);
    }
  }

  private void requireWidth(int width, String what) {
    if (width != shift.length) {
      throw new IllegalArgumentException("this scaler was fitted on " + shift.length
          + " columns but the dataset has " + width + " " + what
          + ": fit and apply it on data with the same columns");
    }
  }

  static double[][] columns(Dataset data, boolean targets) {
    int width = targets ? data.targetSize() : data.inputSize();
    double[][] columns = new double[width][data.size()];
    for (int i = 0; i < data.size(); i++) {
      for (int c = 0; c < width; c++) {
        columns[c][i] = targets ? data.target(i, c) : data.feature(i, c);
      }
    }
    return columns;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[shift=" + Arrays.toString(shift) + ", scale="
        + Arrays.toString(scale) + "]";
  }
}
