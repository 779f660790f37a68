package dev.annonet.train;

import dev.annonet.Model;

/** Code run after every epoch (logging, checkpoints, early stopping) that may ask to stop. */
@FunctionalInterface
public interface Callback {

  /**
   * Called after each epoch with its record and the model; returns true to stop training after
   * this epoch.
   */
  boolean afterEpoch(EpochRecord record, Model model);

  /**
   * Stops when the validation loss has not improved on its best value for {@code patience}
   * epochs in a row (does nothing without a validation set).
   */
  static Callback earlyStopping(int patience) {
    if (patience < 1) {
      throw new IllegalArgumentException("patience must be at least 1 epoch, got " + patience);
    }
    return new Callback() {
      private double best = Double.POSITIVE_INFINITY;
      private int worse;

      @Override
      public boolean afterEpoch(EpochRecord record, Model model) {
        double loss = record.validation().loss();
        if (Double.isNaN(loss)) {
          return false;
        }
        if (loss < best) {
          best = loss;
          worse = 0;
          return false;
        }
        return ++worse >= patience;
      }
    };
  }
}
