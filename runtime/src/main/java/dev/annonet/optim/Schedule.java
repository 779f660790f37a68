package dev.annonet.optim;

/** A step-size schedule: the step size for an update from the base step size {@code a}. */
@FunctionalInterface
public interface Schedule {

  /**
   * The step size of the update numbered {@code iteration} (0-based, counted over the whole run)
   * in epoch {@code epoch} (0-based), for base step size {@code a}.
   */
  float stepSize(float a, int epoch, long iteration);

  /** The base step size on every update. */
  static Schedule constant() {
    return (a, epoch, iteration) -> a;
  }
}
