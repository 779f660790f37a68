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

  /**
   * The standardizer as text, {@code mean=m0,m1,...;std=s0,s1,...} with each float written so
   * that {@link #parse} gives it back exactly: the form a model file's metadata carries, so that
   * a model trained on standardised inputs is applied with the same statistics.
   */
  public String encode() {
    return "mean=" + join(shift()) + ";std=" + join(scale());
  }

  /**
   * The standardizer {@link #encode} wrote.
   *
   * @throws IllegalArgumentException naming what is malformed: not two parts, lengths that
   *     differ, a value that is not a finite number, or a standard deviation that is not positive
   */
  public static Standardizer parse(String text) {
    String[] parts = text.split(";", -1);
    if (parts.length != 2 || !parts[0].startsWith("mean=") || !parts[1].startsWith("std=")) {
      throw new IllegalArgumentException("a standardizer is written mean=m0,m1,...;std=s0,s1,..."
          + " but this text starts '" + abbreviate(text) + "'");
    }
    double[] mean = numbers(parts[0].substring(5), "mean");
    double[] std = numbers(parts[1].substring(4), "std");
    if (mean.length != std.length) {
      throw new IllegalArgumentException("the standardizer has " + mean.length + " means but "
          + std.length + " standard deviations: one of each per column");
    }
    for (int c = 0; c < std.length; c++) {
      if (!(std[c] > 0)) {
        throw new IllegalArgumentException("the standardizer's standard deviation of column " + c
            + " is " + std[c] + ": it must be positive");
      }
    }
    return new Standardizer(mean, std);
  }

  private static double[] numbers(String list, String what) {
    String[] items = list.split(",", -1);
    double[] values = new double[items.length];
    for (int i = 0; i < items.length; i++) {
      float v;
      try {
        v = Float.parseFloat(items[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("the standardizer's " + what + " of column " + i
            + " is '" + abbreviate(items[i]) + "', not a number");
      }
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("the standardizer's " + what + " of column " + i
            + " is " + v + ": it must be finite");
      }
      values[i] = v;
    }
    return values;
  }

  private static String join(float[] values) {
    StringBuilder s = new StringBuilder();
    for (float v : values) {
      s.append(s.length() == 0 ? "" : ",").append(v);
    }
    return s.toString();
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
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
