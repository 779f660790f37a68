package dev.annonet.train;

/**
 * The trainer's sample-order generator: the same stream as {@code new SplittableRandom(seed)}
 * (splitmix64 with the golden gamma, and the JDK's unbiased bounded draw), but with its whole
 * state in one {@code long} that a checkpoint can save and restore.
 */
final class ShuffleRandom {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private long state;

  ShuffleRandom(long seed) {
    this.state = seed;
  }

  /** The whole state: a generator built with {@link #setState} on it continues identically. */
  long state() {
    return state;
  }

  void setState(long state) {
    this.state = state;
  }

  /** The next 32 random bits, as {@code SplittableRandom.nextInt()}. */
  int nextInt() {
    state += GOLDEN_GAMMA;
    long z = state;
    z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
    return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
  }

  /**
   * A uniform integer in {@code [0, bound)}, as {@code SplittableRandom.nextInt(bound)}: a mask
   * for powers of two, else the remainder of 31 bits, redrawn when it would favour small values.
   */
  int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    int r = nextInt();
    int m = bound - 1;
    if ((bound & m) == 0) {
      return r & m;
    }
    int u = r >>> 1;
    while (u + m - (r = u % bound) < 0) {
      u = nextInt() >>> 1;
    }
    return r;
  }
}
