package dev.annonet.train;

import dev.annonet.Model;
import dev.annonet.Task;
import dev.annonet.io.SafeTensors;
import java.util.Locale;
import java.util.Map;

/**
 * Stops training when a validation metric has not improved on its best value for
 * {@code patience} epochs in a row, keeping a copy of the parameters and buffers of the best
 * epoch so that they can be put back at the end. Allocates nothing after construction.
 *
 * <p>Public so that a trainer in another module ({@code SparkTrainer}) stops, restores and
 * reports as {@link Trainer#earlyStopping} does; its state travels through {@link Checkpoints}.
 */
public final class EarlyStopping {

  private final Metric metric;
  private final int patience;
  private final Snapshot best;
  private double bestValue = Double.NaN;
  private int bestEpoch;
  private int worse;

  /**
   * Watches {@code metric} (which the caller has checked applies to the model's task) with
   * {@code patience} of at least 1, keeping the best epoch's copy of {@code model}'s
   * parameters and buffers.
   */
  public EarlyStopping(Metric metric, int patience, Model model) {
    this.metric = metric;
    this.patience = patience;
    this.best = new Snapshot(model);
  }

  /**
   * Checks an early-stopping setting for {@code model} when it is given ({@code earlyStopping}
   * of a trainer): a metric that the trainer measures for the model's task, a patience of at
   * least one epoch.
   */
  public static void check(Metric metric, int patience, Model model) {
    if (metric == null) {
      throw new IllegalArgumentException("earlyStopping: metric is null: watch e.g. Metric.LOSS");
    }
    if (patience < 1) {
      throw new IllegalArgumentException("earlyStopping: patience must be at least 1 epoch, got "
          + patience);
    }
    if (!metric.appliesTo(model.task())) {
      throw new IllegalArgumentException("earlyStopping: " + model.name() + " is a "
          + model.task().toString().toLowerCase(Locale.ROOT) + " network, for which "
          + "the trainer does not measure " + metric + ": watch "
          + (model.task() == Task.REGRESSION ? "Metric.LOSS, Metric.MSE or Metric.MAE"
              : "Metric.LOSS or Metric.ACCURACY"));
    }
  }

  /**
   * Looks at the epoch just finished (the model holds its parameters); returns true when the
   * metric has now gone {@code patience} epochs without improving.
   */
  public boolean afterEpoch(EpochRecord record) {
    return observe(record, true);
  }

  /**
   * Counts a record of a run being resumed as {@link #afterEpoch} did when the epoch ran, without
   * capturing the model: replaying a run's history rebuilds the best value, the best epoch and
   * the epochs without improvement exactly. The best epoch's parameters come from the
   * checkpoint ({@link #loadBest}).
   */
  void replay(EpochRecord record) {
    observe(record, false);
  }

  private boolean observe(EpochRecord record, boolean capture) {
    double value = metric.of(record.validation());
    if (metric.improves(value, bestValue)) {
      bestValue = value;
      bestEpoch = record.epoch();
      if (capture) {
        best.capture(bestEpoch);
      }
      worse = 0;
      return false;
    }
    return ++worse >= patience;
  }

  /** Takes the best epoch's parameters and buffers from a checkpoint after a {@link #replay}. */
  void loadBest(Map<String, SafeTensors.Tensor> tensors) {
    best.load(tensors, bestEpoch);
  }

  /** Copies of the best epoch's parameters and buffers for a checkpoint (empty before any). */
  Map<String, SafeTensors.Tensor> bestTensors() {
    return bestEpoch == 0 ? Map.of() : best.tensors();
  }

  /** The metric and patience as a checkpoint records them: {@code validation loss, patience 5}. */
  String setting() {
    return metric + ", patience " + patience;
  }

  /** The epoch (1-based) with the best value so far, 0 before any finite value. */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** The best value so far ({@code NaN} before any). */
  double bestValue() {
    return bestValue;
  }

  /** Puts the best epoch's parameters and buffers back into the model; false if there is none. */
  public boolean restoreBest() {
    if (bestEpoch == 0) {
      return false;
    }
    best.restore();
    return true;
  }

  /** Why it stopped, e.g. {@code validation loss has not improved for 5 epochs since epoch 7}. */
  public String describeStop() {
    if (bestEpoch == 0) {
      return metric + " was not a number for " + patience + (patience == 1 ? " epoch" : " epochs");
    }
    return metric + " has not improved for " + patience + (patience == 1 ? " epoch" : " epochs")
        + " since epoch " + bestEpoch + " (" + Metrics.format(bestValue) + ")";
  }

  /** What was restored, e.g. {@code restored epoch 7, the best by validation loss (0.0812)}. */
  public String describeRestore() {
    return "restored the parameters of epoch " + bestEpoch + ", the best by " + metric + " ("
        + Metrics.format(bestValue) + ")";
  }

  Metric metric() {
    return metric;
  }

  int patience() {
    return patience;
  }
}
