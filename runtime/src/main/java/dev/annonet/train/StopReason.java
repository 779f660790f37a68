package dev.annonet.train;

/** Why a training run ended. */
public enum StopReason {
  /** The full training-set gradient norm fell below the tolerance. */
  GRADIENT_NORM,
  /** The configured number of epochs ran. */
  MAX_EPOCHS,
  /** A {@link Callback} asked to stop. */
  CALLBACK,
  /** The training loss became NaN or infinite: lower the step size or check the data scale. */
  DIVERGED
}
