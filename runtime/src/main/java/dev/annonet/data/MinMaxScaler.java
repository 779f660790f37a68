package dev.annonet.data;

/** Rescales each column to [0, 1] using the minimum and maximum seen in one data set. */
public final class MinMaxScaler extends ColumnScaler {

  private MinMaxScaler(double[] min, double[] range) {
    super(min, range);
  }

  /** Fits the minimum and maximum of each feature column of {@code data}. */
  public static MinMaxScaler fitFeatures(Dataset data) {
    return fit(columns(data, false));
  }

  /** Fits the minimum and maximum of each target column of {@code data}. */
  public static MinMaxScaler fitTargets(Dataset data) {
    return fit(columns(data, true));
  }

  private static MinMaxScaler fit(double[][] columns) {
    double[] min = new double[columns.length];
    double[] range = new double[columns.length];
    for (int c = 0; c < columns.length; c++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double v : columns[c]) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      min[c] = lo;
      range[c] = hi - lo;
    }
    return new MinMaxScaler(min, range);
  }

  /** The fitted column minima. */
  public float[] min() {
    return shift();
  }
}
