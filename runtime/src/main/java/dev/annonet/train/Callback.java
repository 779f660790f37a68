package dev.annonet.train;

import dev.annonet.Model;

/**
 * Code run during training (progress output, logging, checkpoints, early stopping) that may ask
 * to stop after an epoch. Only {@link #afterEpoch} is required; the other hooks default to doing
 * nothing. Hooks run on the training thread; {@link #afterBatch} runs after every update, so it
 * should be cheap and should not allocate if training is to stay allocation-free.
 */
@FunctionalInterface
public interface Callback {

  /**
   * Called once before the first update with the planned number of epochs, the updates per
   * epoch and the training samples per epoch.
   */
  default void beforeTraining(int epochs, int batchesPerEpoch, int samples) {}

  /**
   * Called after each update with the epoch (1-based), the update's index within the epoch
   * (1-based), the samples it used and the minibatch loss the update was computed from.
   */
  default void afterBatch(int epoch, int batch, int samples, double loss) {}

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
