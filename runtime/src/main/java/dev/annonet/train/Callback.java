package dev.annonet.train;

import dev.annonet.Model;

/**
 * Code run during training (progress output, logging, checkpoints) that may ask to stop after an
 * epoch; early stopping on a validation metric, which also restores the best epoch's parameters,
 * is {@link Trainer#earlyStopping}. Only {@link #afterEpoch} is required; the other hooks default
 * to doing nothing. Hooks run on the training thread; {@link #afterBatch} runs after every update,
 * so it should be cheap and should not allocate if training is to stay allocation-free.
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
   * (1-based), the samples it used and the minibatch loss the update was computed from. Not
   * called for an update the trainer skips because its loss was not finite.
   */
  default void afterBatch(int epoch, int batch, int samples, double loss) {}

  /**
   * Called after each epoch with its record and the model; returns true to stop training after
   * this epoch.
   */
  boolean afterEpoch(EpochRecord record, Model model);

  /**
   * Called once when training ends, however it ended (all epochs, early stopping, a callback's
   * request, a divergence), with the report {@link Trainer#fit} is about to return.
   */
  default void afterTraining(TrainingReport report) {}
}
