package dev.annonet.optim;

/**
 * An update rule {@code theta <- theta - step(grad)}, one loop over a flat parameter buffer.
 *
 * <p>State (velocities, moment estimates) is sized on the first step and reused, so steps after
 * the first allocate nothing. The step size {@code lr} is passed on every call: the caller (the
 * trainer, or {@link Minimizer}) takes it from a {@link Schedule} applied to
 * {@link #learningRate()}.
 */
public interface Optimizer {

  /** The base step size {@code a} that schedules scale. */
  float learningRate();

  /** Applies one update to {@code theta} in place, given the gradient at {@code theta}. */
  void step(float[] theta, float[] grad, float lr);

  /**
   * Applies one update when the objective itself is at hand, as full-batch methods that evaluate
   * {@code f} (backtracking line search) need; {@code value} is {@code f(theta)}. Returns
   * {@code f} at the new {@code theta} when the method evaluated it, else {@code NaN}.
   */
  default double step(float[] theta, float[] grad, float lr, Objective f, double value) {
    step(theta, grad, lr);
    return Double.NaN;
  }

  /**
   * True when {@link #step(float[], float[], float, Objective, double)} must be used (full batch).
   */
  default boolean needsObjective() {
    return false;
  }

  /** Forgets all state, as if no step had been taken. */
  void reset();

  /** The number of updates applied since construction or the last {@link #reset()}. */
  long steps();

  /**
   * The live state arrays (velocities, moment estimates), in the order the class documents, for
   * checkpoints; empty for stateless rules and before the first step. The arrays are not copies.
   */
  default float[][] state() {
    return new float[0][];
  }

  /**
   * Puts the optimizer back exactly where a run left it, for resuming from a checkpoint:
   * {@code state} holds copies of what {@link #state()} returned (same count, order and lengths;
   * empty before the first step) and {@code steps} what {@link #steps()} returned. The arrays
   * are copied, so the next {@link #step} continues bit for bit as if the run had not stopped.
   *
   * @throws IllegalArgumentException if the arrays do not fit this optimizer and its settings
   *     (another optimizer's state, a different option such as {@code amsgrad} or
   *     {@code momentum > 0}, arrays of different lengths) or {@code steps} does not fit them
   * @throws UnsupportedOperationException for optimizers that cannot restore their state (the
   *     default; every optimizer of this package can)
   */
  default void restore(float[][] state, long steps) {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " cannot restore its state: implement Optimizer.restore to resume from checkpoints");
  }
}
