package dev.annonet.optim;

import java.util.Arrays;

/**
 * The running average {@code theta_bar} of the iterates an {@link Averaging} selects, updated in
 * place before each update: {@code S += w_j; theta_bar += (w_j / S) (theta_j - theta_bar)}.
 *
 * <p>The average and the weight sum {@code S} are doubles. In float, an average over many steps
 * would stop moving: once {@code w_j / S} is about {@code 1/T}, the increment
 * {@code (w_j / S) (theta_j - theta_bar)} falls below half a float ulp of {@code theta_bar}
 * after some 10^5 to 10^7 updates and is rounded away, and a float {@code S} would lose small
 * steps the same way. The parameters themselves stay float; {@link #copyTo} rounds once. The
 * buffer is sized in the constructor, so {@link #add} allocates nothing.
 */
public final class IterateAverage {

  private final Averaging averaging;
  private final double[] mean;
  private double weight;

  /** An empty average of {@code dimension} parameters. */
  public IterateAverage(Averaging averaging, int dimension) {
    if (averaging == null) {
      throw new IllegalArgumentException("averaging is null: pass Averaging.stepWeighted() or"
          + " Averaging.uniformFrom(start)");
    }
    this.averaging = averaging;
    this.mean = new double[dimension];
  }

  public Averaging averaging() {
    return averaging;
  }

  /**
   * Adds {@code theta}, the point update number {@code update} (from 0) starts from, taken
   * with step size {@code step}; call it before the optimizer moves {@code theta}.
   *
   * @throws IllegalArgumentException for a bad step (see {@link Averaging}) or a {@code theta}
   *     of another size
   */
  public void add(float[] theta, float step, long update) {
    if (theta.length != mean.length) {
      throw new IllegalArgumentException("iterate averaging: theta has " + theta.length
          + " entries but the average holds " + mean.length);
    }
    double w = averaging.weight(update, step, weight);
    if (w == 0) {
      return;
    }
    weight += w;
    double c = w / weight;
    for (int i = 0; i < mean.length; i++) {
      mean[i] += c * (theta[i] - mean[i]);
    }
  }

  /** True until an iterate with a positive weight was added. */
  public boolean isEmpty() {
    return weight == 0;
  }

  /** The sum of the weights so far, {@code S}. */
  public double weight() {
    return weight;
  }

  /** The live average (not a copy): all zeros while {@link #isEmpty()}. */
  public double[] mean() {
    return mean;
  }

  /**
   * Writes {@code theta_bar}, rounded to float, into {@code out}; leaves {@code out} as it is
   * while the average is empty (nothing averaged yet: the current point stands for itself).
   */
  public void copyTo(float[] out) {
    if (weight == 0) {
      return;
    }
    for (int i = 0; i < mean.length; i++) {
      out[i] = (float) mean[i];
    }
  }

  /** Empties the average. */
  public void reset() {
    Arrays.fill(mean, 0);
    weight = 0;
  }

  /**
   * Puts back an average saved from {@link #mean()} and {@link #weight()}, for resuming a run.
   *
   * @throws IllegalArgumentException if the sizes differ or the weight is negative or not finite
   */
  public void restore(double[] mean, double weight) {
    if (mean == null || mean.length != this.mean.length) {
      throw new IllegalArgumentException("iterate averaging: the saved average has "
          + (mean == null ? "no" : mean.length) + " entries but this one holds "
          + this.mean.length);
    }
    if (!(weight >= 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("iterate averaging: the saved weight sum " + weight
          + " is not a finite number of at least 0");
    }
    System.arraycopy(mean, 0, this.mean, 0, mean.length);
    this.weight = weight;
  }
}
