package dev.annonet.data;

/** Rescales each column to mean 0 and standard deviation 1, with statistics from one data set. */
public final class Standardizer extends ColumnScaler {

  private Standardizer(double[] mean, double[] std) {
    super(mean, std);
  }

  /** Fits the mean and (population) standard deviation of each feature column of {@code data}. */
  public static Standardizer fitFeatures(Dataset data) {
    return fit(columns(data, false));
  }

  /** Fits the mean and (population) standard deviation of each target column of {@code data}. */
  public static Standardizer fitTargets(Dataset data) {
    return fit(columns(data, true));
  }

  private static Standardizer fit(double[][] columns) {
    double[] mean = new double[columns.length];
    double[] std = new double[columns.length];
    for (int c = 0; c < columns.length; c++) {
      double sum = 0;
      for (double v : columns[c]) {
        sum += v;
      }
      mean[c] = sum / columns[c].length;
      // Two passes (mean, then squared deviations) avoid the cancellation of sum(v^2) - n*mean^2.
      double squares = 0;
      for (double v : columns[c]) {
        squares += (v - mean[c]) * (v - mean[c]);
      }
      std[c] = Math.sqrt(squares / columns[c].length);
    }
    return new Standardizer(mean, std);
  }

  /** The fitted column means. */
  public float[] mean() {
    return shift();
  }

  /** The fitted column standard deviations (1 for a constant column). */
  public float[] std() {
    return scale();
  }
}
