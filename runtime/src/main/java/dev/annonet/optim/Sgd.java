package dev.annonet.optim;

import dev.annonet.kernels.Updates;

/**
 * Stochastic gradient descent, {@code g = grad + weightDecay * theta; theta <- theta - lr * g}, as
 * <a href="https://pytorch.org/docs/stable/generated/torch.optim.SGD.html">torch.optim.SGD</a>
 * without momentum (Robbins and Monro 1951).
 *
 * <p>The update is the same as {@link GradientDescent}'s; the difference is what the caller feeds
 * it: the gradient of a minibatch, an unbiased estimate of the full gradient. With momentum see
 * {@link Momentum} and {@link Nesterov}.
 */
public final class Sgd implements Optimizer {

  /**
   * The settings, with PyTorch's names: {@code lr} (default {@code 1e-3}) and {@code weightDecay}
   * (L2 penalty added to the gradient, default 0).
   */
  public record Config(float lr, double weightDecay) {
    public Config {
      Check.lr("Sgd", lr);
      Check.nonNegative("Sgd", "weightDecay", weightDecay);
    }
  }

  private final Config config;
  private long steps;

  private Sgd(Config config) {
    this.config = config;
  }

  /** {@code lr = 1e-3, weightDecay = 0}. */
  public static Sgd defaults() {
    return new Sgd(new Config(1e-3f, 0));
  }

  /** An optimizer with the given settings. */
  public static Sgd of(Config config) {
    return new Sgd(Check.config("Sgd", config));
  }

  /** A fresh optimizer with base step size {@code lr}. */
  public Sgd lr(float lr) {
    return new Sgd(new Config(lr, config.weightDecay()));
  }

  /** A fresh optimizer with L2 penalty {@code weightDecay}. */
  public Sgd weightDecay(double weightDecay) {
    return new Sgd(new Config(config.lr(), weightDecay));
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
    int n = Check.sizes("Sgd", theta, grad, -1);
    float wd = (float) config.weightDecay();
    Updates.sgd(theta, grad, n, lr, wd);
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

  /** Empty: plain SGD keeps no state besides the step count. */
  @Override
  public float[][] state() {
    return new float[0][];
  }

  @Override
  public void restore(float[][] state, long steps) {
    State.restore("Sgd", state, steps);
    this.steps = steps;
  }

  @Override
  public String toString() {
    return "Sgd" + config;
  }
}
