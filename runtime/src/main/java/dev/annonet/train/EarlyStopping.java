package dev.annonet.train;

import dev.annonet.Model;
import dev.annonet.io.SafeTensors;
import java.util.Map;

/**
 * Stops training when a validation metric has not improved on its best value for
 * {@code patience} epochs in a row, keeping a copy of the parameters and buffers of the best
 * epoch so that they can be put back at the end. Allocates nothing after construction.
 */
final class EarlyStopping {

  private final Metric metric;
  private final int patience;
  private final Snapshot best;
  private double bestValue = Double.NaN;
  private int bestEpoch;
  private int worse;

  EarlyStopping(Metric metric, int patience, Model model) {
    this.metric = metric;
    this.patience = patience;
    this.best = new Snapshot(model);
  }

  /**
   * Looks at the epoch just finished (the model holds its parameters); returns true when the
   * metric has now gone {@code patience} epochs without improving.
   */
  boolean afterEpoch(EpochRecord record) {
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
  int bestEpoch() {
    return bestEpoch;
  }

  /** The best value so far ({@code NaN} before any). */
  double bestValue() {
    return bestValue;
  }

  /** Puts the best epoch's parameters and buffers back into the model; false if there is none. */
  boolean restoreBest() {
    if (bestEpoch == 0) {
      return false;
    }
    best.restore();
    return true;
  }

  /** Why it stopped, e.g. {@code validation loss has not improved for 5 epochs since epoch 7}. */
  String describeStop() {
    if (bestEpoch == 0) {
      return metric + " was not a number for " + patience + (patience == 1 ? " epoch" : " epochs");
    }
    return metric + " has not improved for " + patience + (patience == 1 ? " epoch" : " epochs")
        + " since epoch " + bestEpoch + " (" + Metrics.format(bestValue) + ")";
  }

  /** What was restored, e.g. {@code restored epoch 7, the best by validation loss (0.0812)}. */
  String describeRestore() {
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
