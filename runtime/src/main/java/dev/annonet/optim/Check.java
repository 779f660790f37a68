package dev.annonet.optim;

/** Argument checks whose messages name the setting, the bad value and the valid range. */
final class Check {

  private Check() {}

  /** A settings record, which must be given. */
  static <T> T config(String owner, T config) {
    if (config == null) {
      throw new IllegalArgumentException(
          owner + ": config is null: start from " + owner + ".defaults() and change settings");
    }
    return config;
  }

  /** A step size: finite and positive. */
  static float lr(String owner, float lr) {
    if (!(lr > 0) || Float.isInfinite(lr)) {
      throw outside(owner, "lr", lr, "(0, +inf)");
    }
    return lr;
  }

  /** A decay or momentum factor in {@code [0, 1)}. */
  static double unit(String owner, String name, double value) {
    if (!(value >= 0 && value < 1)) {
      throw outside(owner, name, value, "[0, 1)");
    }
    return value;
  }

  /** A factor in {@code [0, 1]}. */
  static double closedUnit(String owner, String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw outside(owner, name, value, "[0, 1]");
    }
    return value;
  }

  /** A factor in {@code (0, 1)}. */
  static double openUnit(String owner, String name, double value) {
    if (!(value > 0 && value < 1)) {
      throw outside(owner, name, value, "(0, 1)");
    }
    return value;
  }

  /** A finite non-negative value (eps, weight decay). */
  static double nonNegative(String owner, String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw outside(owner, name, value, "[0, +inf)");
    }
    return value;
  }

  /** An integer of at least {@code min}. */
  static int atLeast(String owner, String name, int value, int min) {
    if (value < min) {
      throw outside(owner, name, value, "[" + min + ", " + Integer.MAX_VALUE + "]");
    }
    return value;
  }

  static IllegalArgumentException outside(String owner, String name, Object value, String range) {
    return new IllegalArgumentException(
        owner + ": " + name + " = " + value + " is outside the valid range " + range);
  }

  /**
   * Checks that {@code theta} and {@code grad} match each other and the state size {@code n}
   * ({@code -1} before the first step); returns the length.
   */
  static int sizes(String owner, float[] theta, float[] grad, int n) {
    if (theta.length != grad.length) {
      throw new IllegalArgumentException(
          owner + ": theta has " + theta.length + " entries but grad has " + grad.length);
    }
    if (n >= 0 && theta.length != n) {
      throw new IllegalArgumentException(
          owner + ": theta has " + theta.length + " entries but the state was sized for " + n
              + " on the first step; call reset() to start on a new parameter vector");
    }
    return theta.length;
  }
}
