package dev.annonet.train;

/**
 * The outcome of {@link Trainer#fit}: the history, why training stopped and the final metrics.
 *
 * @param history one record per epoch run
 * @param stopReason why the run ended
 * @param updates number of optimizer steps taken
 * @param train metrics on the whole training set after the last epoch
 * @param validation metrics on the validation set after the last epoch, or {@link Metrics#NONE}
 * @param seconds wall-clock time of the whole run
 */
public record TrainingReport(
    History history,
    StopReason stopReason,
    long updates,
    Metrics train,
    Metrics validation,
    double seconds) {

  /** Number of epochs run. */
  public int epochs() {
    return history.size();
  }

  @Override
  public String toString() {
    return "stopped after " + epochs() + " epochs (" + stopReason + "), " + updates
        + " updates, " + String.format("%.2f s", seconds) + "; train " + train
        + (validation.present() ? "; validation " + validation : "");
  }
}
