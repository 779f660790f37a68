package dev.annonet.optim;

/**
 * Gradient descent with a fixed step, {@code theta <- theta - lr * grad}, meant for full-batch
 * gradients (Cauchy 1847; torch.optim.SGD with every option off).
 *
 * <p>The step comes from the caller's {@link Schedule}; for a step that is guaranteed to decrease
 * {@code f}, use {@link LineSearch}.
 */
public final class GradientDescent implements Optimizer {

  /** The settings: {@code lr}, the base step size (default {@code 1e-3}, as torch.optim.SGD). */
  public record Config(float lr) {
    public Config {
      Check.lr("GradientDescent", lr);
    }
  }

  private final Config config;
  private long steps;

  private GradientDescent(Config config) {
    this.config = config;
  }

  /** {@code lr = 1e-3}. */
  public static GradientDescent defaults() {
    return new GradientDescent(new Config(1e-3f));
  }

  /** An optimizer with the given settings. */
  public static GradientDescent of(Config config) {
    return new GradientDescent(Check.config("GradientDescent", config));
  }

  /** A fresh optimizer with base step size {@code lr}. */
  public GradientDescent lr(float lr) {
    return new GradientDescent(new Config(lr));
  }

  public Config config() {
    return config;
  }

  @Override
  public float learningRate() {
    return config.lr();
  }

  @Override
  public void step(float[] theta, float[] grad, float lr) {
    int n = Check.sizes("GradientDescent", theta, grad, -1);
    for (int i = 0; i < n; i++) {
      theta[i] -= lr * grad[i];
    }
    steps++;
  }

  @Override
  public void reset() {
    steps = 0;
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
  }

  @Override
  public String toString() {
    return "GradientDescent" + config;
  }
}
