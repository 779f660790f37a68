package dev.annonet.train;

/**
 * Where a training run stopped being finite: which quantity, its value, the epoch and the update
 * within it.
 *
 * @param quantity what was not finite, e.g. {@code minibatch loss}
 * @param value its value (NaN or an infinity)
 * @param epoch the epoch (1-based)
 * @param step the update within the epoch (1-based) that produced or would have used the value
 * @param steps the updates per epoch
 * @param stepSize the step size in use
 * @param afterEpoch true when it was found by the measurement after the epoch's updates
 */
record Divergence(String quantity, double value, int epoch, int step, int steps,
    float stepSize, boolean afterEpoch) {

  /**
   * The report's message: what happened, which parameters were put back (those after epoch
   * {@code restoredEpoch}, 0 for the initial ones) and what to try.
   */
  String describe(int restoredEpoch, boolean clipping) {
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
