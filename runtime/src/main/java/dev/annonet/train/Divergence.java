package dev.annonet.train;

/**
 * Where a training run stopped being finite: which quantity, its value, the epoch and the update
 * within it.
 *
 * <p>Public so that a trainer in another module ({@code SparkTrainer}) checks the same
 * quantities at the same points as {@link Trainer} and reports a divergence in the same words.
 *
 * @param quantity what was not finite, e.g. {@code minibatch loss}
 * @param value its value (NaN or an infinity)
 * @param epoch the epoch (1-based)
 * @param step the update within the epoch (1-based) that produced or would have used the value
 * @param steps the updates per epoch
 * @param stepSize the step size in use
 * @param afterEpoch true when it was found by the measurement after the epoch's updates
 */
public record Divergence(String quantity, double value, int epoch, int step, int steps,
    float stepSize, boolean afterEpoch) {

  /**
   * The divergence at update {@code step} of {@code steps} in {@code epoch} (1-based) when its
   * minibatch loss, or the norm of its gradient that clipping measured (0 without clipping), is
   * not finite; null when both are finite and the update may be applied.
   */
  public static Divergence ofUpdate(float loss, double clippedNorm, int epoch, int step,
      int steps, float stepSize) {
    if (!Float.isFinite(loss)) {
      return new Divergence("minibatch loss", loss, epoch, step, steps, stepSize, false);
    }
    if (!Double.isFinite(clippedNorm)) {
      return new Divergence("minibatch gradient norm", clippedNorm, epoch, step, steps,
          stepSize, false);
    }
    return null;
  }

  /**
   * The divergence found after the {@code steps} updates of {@code epoch} (1-based) when the
   * training loss or gradient norm measured then is not finite; null when both are finite.
   */
  public static Divergence afterEpoch(double trainLoss, double gradientNorm, int epoch, int steps,
      float stepSize) {
    if (Double.isFinite(trainLoss) && Double.isFinite(gradientNorm)) {
      return null;
    }
    boolean lossBad = !Double.isFinite(trainLoss);
    return new Divergence(lossBad ? "training loss" : "training gradient norm",
        lossBad ? trainLoss : gradientNorm, epoch, steps, steps, stepSize, true);
  }

  /**
   * The report's message: what happened, which parameters were put back (those after epoch
   * {@code restoredEpoch}, 0 for the initial ones) and what to try.
   */
  public String describe(int restoredEpoch, boolean clipping) {
    String where = afterEpoch
        ? " after epoch " + epoch + " (its last step: " + step + " of " + steps + ")"
        : " at epoch " + epoch + ", step " + step + " of " + steps;
    String restored = restoredEpoch == 0 ? "the initial parameters"
        : "the parameters from the end of epoch " + restoredEpoch;
    String hint = clipping ? "lower the step size or the clipping norm"
        : "lower the step size or bound the updates with clipGradientNorm(1.0)";
    return "the " + quantity + " became " + value + where + " (step size "
        + Metrics.format(stepSize) + "): restored " + restored + "; " + hint;
  }
}
