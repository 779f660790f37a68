package dev.annonet.train;

/** Why a training run ended; {@link TrainingReport#message()} says it in words. */
public enum StopReason {
  /** The full training-set gradient norm fell below the tolerance. */
  GRADIENT_NORM,
  /** The configured number of epochs ran. */
  MAX_EPOCHS,
  /** A {@link Callback} asked to stop. */
  CALLBACK,
  /** The early-stopping metric stopped improving for its patience (see Trainer.earlyStopping). */
  EARLY_STOPPING,
  /**
   * A minibatch loss, a clipped gradient's norm, or the training loss or gradient norm after an
   * epoch became NaN or infinite; the parameters of the last finite epoch were put back. Lower
   * the step size, or bound the updates with {@link Trainer#clipGradientNorm}.
   */
  DIVERGED
}
