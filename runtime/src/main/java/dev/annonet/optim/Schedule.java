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

  /**
   * {@code a / (t + 1)} with {@code t} the iteration: the Robbins-Monro rate, whose steps sum to
   * infinity while their squares stay summable.
   */
  static Schedule inverseTime() {
    return (a, epoch, iteration) -> (float) (a / (iteration + 1.0));
  }

  /** {@code a / (e + 1)} with {@code e} the epoch: constant within an epoch. */
  static Schedule inverseTimePerEpoch() {
    return (a, epoch, iteration) -> (float) (a / (epoch + 1.0));
  }

  /**
   * {@code a * gamma^floor(epoch / k)}: multiply by {@code gamma} in (0, 1] every {@code k >= 1}
   * epochs (torch.optim.lr_scheduler.StepLR with {@code step_size = k}).
   */
  static Schedule stepDecay(double gamma, int k) {
    if (!(gamma > 0 && gamma <= 1)) {
      throw new IllegalArgumentException(
          "Schedule.stepDecay: gamma = " + gamma + " is outside the valid range (0, 1]");
    }
    requireAtLeastOne("stepDecay", "k", k);
    return (a, epoch, iteration) -> (float) (a * Math.pow(gamma, Math.floorDiv(epoch, k)));
  }

  /**
   * Epoch doubling: {@code k} epochs at {@code a}, then {@code 2k} at {@code a/2}, {@code 4k} at
   * {@code a/4}, and so on; phase {@code j} starts at epoch {@code k (2^j - 1)}.
   */
  static Schedule epochDoubling(int k) {
    requireAtLeastOne("epochDoubling", "k", k);
    return (a, epoch, iteration) -> {
      // Phase j holds the epochs with k (2^j - 1) <= epoch < k (2^(j+1) - 1), that is
      // 2^j <= floor(epoch / k) + 1 < 2^(j+1): j is the floor of log2(floor(epoch / k) + 1).
      long q = Math.floorDiv((long) Math.max(epoch, 0), (long) k) + 1;
      int phase = 63 - Long.numberOfLeadingZeros(q);
      return Math.scalb(a, -phase);
    };
  }

  /**
   * Cosine annealing to zero over {@code totalEpochs}: {@code a (1 + cos(pi e / T)) / 2}, and 0
   * from epoch {@code T} on (torch.optim.lr_scheduler.CosineAnnealingLR with {@code eta_min = 0},
   * without restarts).
   */
  static Schedule cosine(int totalEpochs) {
    requireAtLeastOne("cosine", "totalEpochs", totalEpochs);
    return (a, epoch, iteration) -> {
      int e = Math.min(Math.max(epoch, 0), totalEpochs);
      return (float) (a * 0.5 * (1 + Math.cos(Math.PI * e / totalEpochs)));
    };
  }

  /**
   * Linear warm-up: {@code a (e + 1) / epochs} during the first {@code epochs} epochs, then
   * {@code then}. The following schedule sees the real epoch and iteration (it is not restarted),
   * so {@code warmup(5, cosine(50))} anneals over epochs 0..50 and uses its values from 5 on.
   */
  static Schedule warmup(int epochs, Schedule then) {
    requireAtLeastOne("warmup", "epochs", epochs);
    if (then == null) {
      throw new IllegalArgumentException("Schedule.warmup: then must not be null");
    }
    return (a, epoch, iteration) ->
        epoch < epochs ? (float) ((double) a * (epoch + 1) / epochs)
            : then.stepSize(a, epoch, iteration);
  }

  private static void requireAtLeastOne(String factory, String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("Schedule." + factory + ": " + name + " = " + value
          + " is outside the valid range [1, " + Integer.MAX_VALUE + "]");
    }
  }
}
