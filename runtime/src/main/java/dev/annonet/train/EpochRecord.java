package dev.annonet.train;

/**
 * What one epoch of training left behind, as the trainer measured it after the epoch's updates.
 *
 * @param epoch the epoch's number, from 1 (schedules see it 0-based)
 * @param trainLoss the mean loss over the whole training set after the epoch
 * @param gradientNorm the Euclidean norm of the full training-set gradient after the epoch
 * @param stepSize the step size of the epoch's last update
 * @param validation metrics on the validation set, {@link Metrics#NONE} without one
 * @param seconds wall-clock time of the epoch, evaluation included
 */
public record EpochRecord(
    int epoch,
    double trainLoss,
    double gradientNorm,
    float stepSize,
    Metrics validation,
    double seconds) {

  /** One log line, e.g. {@code epoch 3/20 loss 0.2140 |grad| 0.0312 step 0.0100 (0.41 s)}. */
  public String describe(int epochs) {
    return "epoch " + epoch + "/" + epochs + " loss " + Metrics.format(trainLoss) + " |grad| "
        + Metrics.format(gradientNorm) + " step " + Metrics.format(stepSize)
        + (validation.present() ? " validation " + validation : "")
        + String.format(" (%.2f s)", seconds);
  }
}
