package dev.annonet.optim;

/**
 * Gradient descent with a fixed step, {@code theta <- theta - lr * grad}, meant for full-batch
 * gradients (Cauchy 1847; torch.optim.SGD with every option off).
 *
 * <p>The step comes from the caller's {@link Schedule}; for a step that is guaranteed to decrease
 * {@code f}, use {@link LineSearch}, or {@link #withEstimatedLipschitz()}, which takes the step
 * {@code 1/L} of the course's theorem with {@code L} {@linkplain Lipschitz estimated} from the
 * objective: {@code theta <- theta - (lr / L) grad}, where {@code lr} (default 1, and what a
 * schedule scales) is a multiplier of {@code 1/L}. {@code L} is estimated at the point of the
 * first step, and again every {@code K} steps with {@link #reestimateEvery(int)} (warm-started
 * from the previous power-iteration vector); such an optimizer {@linkplain #needsObjective()
 * needs the objective}, so the trainer gives it full-batch steps (its history's step size is
 * then {@code lr}, the multiplier; {@link #lipschitz()} gives {@code L}). A run resumed from a
 * checkpoint estimates {@code L} again where it resumes.
 */
public final class GradientDescent implements Optimizer {

  /** The settings: {@code lr}, the base step size (default {@code 1e-3}, as torch.optim.SGD). */
  public record Config(float lr) {
    public Config {
      Check.lr("GradientDescent", lr);
    }
  }

  private final Config config;
  // With an estimated L: the estimator and how often to estimate again (0: only once).
  private final Lipschitz estimator;
  private final int every;
  private Lipschitz.Work work;
  private float[] savedGrad;
  private double lipschitz = Double.NaN;
  private long steps;

  private GradientDescent(Config config, Lipschitz estimator, int every) {
    this.config = config;
    this.estimator = estimator;
    this.every = every;
  }

  /** {@code lr = 1e-3}. */
  public static GradientDescent defaults() {
    return new GradientDescent(new Config(1e-3f), null, 0);
  }

  /** An optimizer with the given settings. */
  public static GradientDescent of(Config config) {
    return new GradientDescent(Check.config("GradientDescent", config), null, 0);
  }

  /**
   * Gradient descent with step {@code lr / L}, {@code lr = 1}, {@code L} estimated by
   * {@link Lipschitz#defaults()} (safety factor 1.1) at the first step.
   */
  public static GradientDescent withEstimatedLipschitz() {
    return withEstimatedLipschitz(Lipschitz.defaults());
  }

  /** As {@link #withEstimatedLipschitz()}, with {@code L} from {@code estimator}. */
  public static GradientDescent withEstimatedLipschitz(Lipschitz estimator) {
    if (estimator == null) {
      throw new IllegalArgumentException("GradientDescent.withEstimatedLipschitz: the estimator"
          + " is null; pass Lipschitz.defaults() or leave it out");
    }
    return new GradientDescent(new Config(1f), estimator, 0);
  }

  /** A fresh optimizer with base step size {@code lr} (with L estimated, a factor on 1/L). */
  public GradientDescent lr(float lr) {
    return new GradientDescent(new Config(lr), estimator, every);
  }

  /**
   * A fresh optimizer estimating {@code L} again every {@code steps} steps (0: only at the
   * first).
   *
   * @throws IllegalStateException if this optimizer does not estimate {@code L}
   */
  public GradientDescent reestimateEvery(int steps) {
    if (estimator == null) {
      throw new IllegalStateException("GradientDescent.reestimateEvery: this optimizer has a"
          + " fixed step; start from GradientDescent.withEstimatedLipschitz()");
    }
    Check.atLeast("GradientDescent", "reestimateEvery", steps, 0);
    return new GradientDescent(config, estimator, steps);
  }

  public Config config() {
    return config;
  }

  /**
   * The current estimate of {@code L} (safety factor included); NaN before the first step and
   * for a fixed step.
   */
  public double lipschitz() {
    return lipschitz;
  }

  @Override
  public float learningRate() {
    return config.lr();
  }

  @Override
  public void step(float[] theta, float[] grad, float lr) {
    if (estimator != null) {
      throw new IllegalStateException("GradientDescent.withEstimatedLipschitz estimates L from"
          + " the objective: call step(theta, grad, lr, objective, value), as Minimizer and"
          + " the Trainer do");
    }
    descend(theta, grad, lr);
  }

  @Override
  public double step(float[] theta, float[] grad, float lr, Objective f, double value) {
    if (estimator == null) {
      descend(theta, grad, lr);
      return Double.NaN;
    }
    int n = Check.sizes("GradientDescent", theta, grad, work == null ? -1 : work.v.length);
    if (work == null) {
      work = new Lipschitz.Work(n);
      savedGrad = new float[n];
    }
    if (Double.isNaN(lipschitz) || every > 0 && steps % every == 0) {
      // The objective may write the gradient buffer (the trainer's does): keep grad.
      System.arraycopy(grad, 0, savedGrad, 0, n);
      estimator.run(f, theta, work, !Double.isNaN(lipschitz));
      lipschitz = estimator.config().safety() * work.curvature;
      System.arraycopy(savedGrad, 0, grad, 0, n);
    }
    descend(theta, grad, (float) (lr / lipschitz));
    return Double.NaN;
  }

  private void descend(float[] theta, float[] grad, float lr) {
    int n = Check.sizes("GradientDescent", theta, grad, -1);
    for (int i = 0; i < n; i++) {
      theta[i] -= lr * grad[i];
    }
    steps++;
  }

  @Override
  public boolean needsObjective() {
    return estimator != null;
  }

  @Override
  public void reset() {
    steps = 0;
    lipschitz = Double.NaN;
  }

  @Override
  public long steps() {
    return steps;
  }

  /** Empty: fixed-step descent keeps no state besides the step count. */
  @Override
  public float[][] state() {
    return new float[0][];
  }

  @Override
  public void restore(float[][] state, long steps) {
    State.restore("GradientDescent", state, steps);
    this.steps = steps;
    this.lipschitz = Double.NaN;
  }

  @Override
  public String toString() {
    return estimator == null ? "GradientDescent" + config
        : "GradientDescent" + config + " with " + estimator + " every " + every;
  }
}
