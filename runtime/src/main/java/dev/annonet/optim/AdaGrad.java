package dev.annonet.optim;

import dev.annonet.kernels.Updates;

/**
 * AdaGrad, {@code g = grad + weightDecay * theta; sum <- sum + g^2;
 * theta <- theta - clr * g / (sqrt(sum) + eps)} with {@code clr = lr / (1 + (t - 1) * lrDecay)}
 * on step {@code t}, as
 * <a href="https://pytorch.org/docs/stable/generated/torch.optim.Adagrad.html">
 * torch.optim.Adagrad</a> (Duchi, Hazan and Singer, JMLR 2011).
 *
 * <p>The lecture's slide divides by the accumulated sum itself, without a square root; this class
 * implements the standard square-root form, whose step is invariant to rescaling the gradient
 * (and which PyTorch and the paper use).
 */
public final class AdaGrad implements Optimizer {

  /**
   * The settings, with PyTorch's names and defaults: {@code lr = 1e-2}, {@code lrDecay = 0},
   * {@code weightDecay = 0}, {@code initialAccumulatorValue = 0}, {@code eps = 1e-10}.
   */
  public record Config(float lr, double lrDecay, double weightDecay,
      double initialAccumulatorValue, double eps) {
    public Config {
      Check.lr("AdaGrad", lr);
      Check.nonNegative("AdaGrad", "lrDecay", lrDecay);
      Check.nonNegative("AdaGrad", "weightDecay", weightDecay);
      Check.nonNegative("AdaGrad", "initialAccumulatorValue", initialAccumulatorValue);
      Check.nonNegative("AdaGrad", "eps", eps);
    }
  }

  private final Config config;
  private float[] sum;
  private long steps;

  private AdaGrad(Config config) {
    this.config = config;
  }

  /** PyTorch's defaults. */
  public static AdaGrad defaults() {
    return new AdaGrad(new Config(1e-2f, 0, 0, 0, 1e-10));
  }

  /** An optimizer with the given settings. */
  public static AdaGrad of(Config config) {
    return new AdaGrad(Check.config("AdaGrad", config));
  }

  /** A fresh optimizer with base step size {@code lr}. */
  public AdaGrad lr(float lr) {
    Config c = config;
    return new AdaGrad(
        new Config(lr, c.lrDecay(), c.weightDecay(), c.initialAccumulatorValue(), c.eps()));
  }

  /** A fresh optimizer whose step on update {@code t} is {@code lr / (1 + (t - 1) * lrDecay)}. */
  public AdaGrad lrDecay(double lrDecay) {
    Config c = config;
    return new AdaGrad(
        new Config(c.lr(), lrDecay, c.weightDecay(), c.initialAccumulatorValue(), c.eps()));
  }

  /** A fresh optimizer with L2 penalty {@code weightDecay}. */
  public AdaGrad weightDecay(double weightDecay) {
    Config c = config;
    return new AdaGrad(
        new Config(c.lr(), c.lrDecay(), weightDecay, c.initialAccumulatorValue(), c.eps()));
  }

  /** A fresh optimizer whose accumulator starts at {@code value}. */
  public AdaGrad initialAccumulatorValue(double value) {
    Config c = config;
    return new AdaGrad(new Config(c.lr(), c.lrDecay(), c.weightDecay(), value, c.eps()));
  }

  /** A fresh optimizer with denominator term {@code eps}. */
  public AdaGrad eps(double eps) {
    Config c = config;
    return new AdaGrad(
        new Config(c.lr(), c.lrDecay(), c.weightDecay(), c.initialAccumulatorValue(), eps));
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
    int n = Check.sizes("AdaGrad", theta, grad, sum == null ? -1 : sum.length);
    if (sum == null) {
      sum = new float[n];
      java.util.Arrays.fill(sum, (float) config.initialAccumulatorValue());
    }
    steps++;
    float[] s = sum;
    float clr = (float) (lr / (1 + (steps - 1) * config.lrDecay()));
    float wd = (float) config.weightDecay();
    float eps = (float) config.eps();
    // g = grad + wd * theta; s += g * g; theta -= clr * g / (sqrt(s) + eps).
    Updates.adaGrad(theta, grad, s, n, clr, eps, wd);
  }

  @Override
  public void reset() {
    sum = null;
    steps = 0;
  }

  @Override
  public long steps() {
    return steps;
  }

  /** {@code {sum}} (the accumulated squared gradients) once stepped. */
  @Override
  public float[][] state() {
    return sum == null ? new float[0][] : new float[][] {sum};
  }

  @Override
  public void restore(float[][] state, long steps) {
    float[][] s = State.restore("AdaGrad", state, steps, "sum");
    sum = s.length == 0 ? null : s[0];
    this.steps = steps;
  }

  @Override
  public String toString() {
    return "AdaGrad" + config;
  }
}
