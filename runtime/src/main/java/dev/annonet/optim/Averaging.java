package dev.annonet.optim;

/**
 * Which iterates an {@link IterateAverage} averages, and with which weights: the setting of
 * {@code Trainer.averageIterates} and {@link Minimizer#averageIterates}.
 *
 * <p>Update {@code j} (counted from 0 over the whole run) moves the parameters from
 * {@code theta_j} to {@code theta_(j+1)} with step size {@code alpha_j}. The average after
 * {@code T} updates is {@code theta_bar_T = sum_j w_j theta_j / sum_j w_j} over
 * {@code j < T}, as in the course's theorem on SGD for convex functions, whose bound holds for
 * the points the gradients were taken at: {@code theta_0 .. theta_(T-1)}, not the final
 * {@code theta_T}, which joins at the next update. {@code alpha_j} is the step size handed to
 * the optimizer (the schedule's value); {@link LineSearch} and
 * {@link GradientDescent#withEstimatedLipschitz()} scale it themselves, so for them it is the
 * base of the step, not the step taken.
 *
 * <ul>
 *   <li>{@link #stepWeighted()}: {@code w_j = alpha_j}, the theorem's average. At a constant step
 *       it is the uniform average of every iterate from the start.
 *   <li>{@link #uniformFrom(long)}: {@code w_j = 1} for {@code j >= start}, else 0, the uniform
 *       tail average of Polyak-Ruppert averaging, torch.optim.ASGD's {@code t0} and
 *       torch.optim.swa_utils.AveragedModel started late: the early iterates, far from the
 *       optimum, are left out.
 * </ul>
 */
public final class Averaging {

  private final long start;

  private Averaging(long start) {
    this.start = start;
  }

  /** {@code w_j = alpha_j}: the step-size-weighted average of every iterate. */
  public static Averaging stepWeighted() {
    return new Averaging(-1);
  }

  /**
   * {@code w_j = 1} for updates {@code j >= start}: the plain mean of {@code theta_start},
   * {@code theta_(start+1)}, ... ({@code theta_start} being the parameters after {@code start}
   * updates).
   *
   * @throws IllegalArgumentException if {@code start} is negative
   */
  public static Averaging uniformFrom(long start) {
    if (start < 0) {
      throw new IllegalArgumentException("Averaging.uniformFrom: start = " + start
          + " is negative; give the update (counted from 0) whose starting point is the first"
          + " averaged, e.g. uniformFrom(0) to average every iterate");
    }
    return new Averaging(start);
  }

  /** True for {@link #stepWeighted()}. */
  public boolean isStepWeighted() {
    return start < 0;
  }

  /** The first averaged update of {@link #uniformFrom}; -1 for {@link #stepWeighted()}. */
  public long start() {
    return start;
  }

  /**
   * The weight {@code w_j} of the point update {@code update} starts from, taken with step size
   * {@code step}; {@code weightSoFar} is the sum of the earlier weights.
   *
   * @throws IllegalArgumentException if the step is negative or not finite, or if a
   *     step-weighted average would start with a zero step (its weights would sum to 0)
   */
  double weight(long update, float step, double weightSoFar) {
    if (!(step >= 0) || Float.isInfinite(step)) {
      throw new IllegalArgumentException("iterate averaging: update " + update + " has step size "
          + step + "; a step size is finite and at least 0: check the optimizer's lr and the"
          + " schedule");
    }
    if (start >= 0) {
      return update >= start ? 1 : 0;
    }
    if (step == 0 && weightSoFar == 0) {
      throw new IllegalArgumentException("step-weighted iterate averaging: update " + update
          + " has step size 0 and no earlier update had a positive one, so the average"
          + " sum(alpha_j theta_j) / sum(alpha_j) would be 0/0: start the schedule above 0, or"
          + " average uniformly with Averaging.uniformFrom(" + (update + 1) + ")");
    }
    return step;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Averaging a && a.start == start;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(start);
  }

  /** {@code stepWeighted} or {@code uniformFrom 100}: the form checkpoints record. */
  @Override
  public String toString() {
    return start < 0 ? "stepWeighted" : "uniformFrom " + start;
  }
}
