package dev.annonet.optim;

/** Comparison tolerances for the optimizer tests, per precision, kept in one place. */
final class Tolerances {

  /** Relative tolerance for float32 trajectories compared with PyTorch's. */
  static final double FLOAT_RELATIVE = 1e-5;

  /** Absolute floor for entries near zero, where a relative bound means nothing. */
  static final double FLOAT_ABSOLUTE = 1e-6;

  private Tolerances() {}

  /** True when {@code actual} is within the float tolerances of {@code expected}. */
  static boolean closeFloat(double expected, double actual) {
    return Math.abs(actual - expected) <= FLOAT_ABSOLUTE + FLOAT_RELATIVE * Math.abs(expected);
  }
}
