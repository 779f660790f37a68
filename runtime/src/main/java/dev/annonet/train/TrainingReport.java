package dev.annonet.train;

/**
 * The outcome of {@link Trainer#fit}: the history, why training stopped and the final metrics.
 *
 * @param history one record per epoch completed with a finite loss and gradient
 * @param stopReason why the run ended
 * @param message why the run ended in words, with the parameters the model was left with (for a
 *     divergence: the epoch and step, and what to change)
 * @param bestEpoch with {@link Trainer#earlyStopping}, the epoch (from 1) with the best
 *     validation metric, whose parameters the model holds; 0 without early stopping
 * @param updates number of optimizer steps taken
 * @param train metrics on the whole training set for the parameters the model ends with
 * @param validation metrics on the validation set for the parameters the model ends with, or
 *     {@link Metrics#NONE}
 * @param seconds wall-clock time of the whole run
 */
public record TrainingReport(
    History history,
    StopReason stopReason,
    String message,
    int bestEpoch,
    long updates,
    Metrics train,
    Metrics validation,
    double seconds) {

  /** Number of epochs completed (recorded in the history). */
  public int epochs() {
    return history.size();
  }

  @Override
  public String toString() {
    return "stopped after " + epochs() + " epochs (" + stopReason + ": " + message + "), "
        + updates + " updates, " + String.format("%.2f s", seconds) + "; train " + train
        + (validation.present() ? "; validation " + validation : "");
  }
}
