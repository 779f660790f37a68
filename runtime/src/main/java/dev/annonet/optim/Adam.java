package dev.annonet.optim;

/**
 * Adam, {@code g = grad + weightDecay * theta; m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2;
 * theta <- theta - lr * mhat / (sqrt(vhat) + eps)} with the bias corrections
 * {@code mhat = m / (1 - b1^t)}, {@code vhat = v / (1 - b2^t)}, as
 * <a href="https://pytorch.org/docs/stable/generated/torch.optim.Adam.html">torch.optim.Adam</a>
 * (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015).
 *
 * <p>{@code weightDecay} here is an L2 penalty added to the gradient, so it is rescaled by the
 * adaptive denominator; for decay applied to the weights directly use {@link AdamW}. With
 * {@code amsgrad(true)} this is {@link AmsGrad}.
 */
public final class Adam implements Optimizer {

  /**
   * The settings, with PyTorch's names and defaults: {@code lr = 1e-3}, {@code betas = (0.9,
   * 0.999)} as {@code beta1, beta2} in [0, 1), {@code eps = 1e-8}, {@code weightDecay = 0},
   * {@code amsgrad = false}.
   */
  public record Config(float lr, double beta1, double beta2, double eps, double weightDecay,
      boolean amsgrad) {
    public Config {
      Check.lr("Adam", lr);
      Check.unit("Adam", "betas[0]", beta1);
      Check.unit("Adam", "betas[1]", beta2);
      Check.nonNegative("Adam", "eps", eps);
      Check.nonNegative("Adam", "weightDecay", weightDecay);
    }
  }

  private final Config config;
  private final AdamState state = new AdamState();

  private Adam(Config config) {
    this.config = config;
  }

  /** PyTorch's defaults. */
  public static Adam defaults() {
    return new Adam(new Config(1e-3f, 0.9, 0.999, 1e-8, 0, false));
  }

  /** An optimizer with the given settings. */
  public static Adam of(Config config) {
    return new Adam(Check.config("Adam", config));
  }

  /** A fresh optimizer with base step size {@code lr}. */
  public Adam lr(float lr) {
    Config c = config;
    return of(new Config(lr, c.beta1(), c.beta2(), c.eps(), c.weightDecay(), c.amsgrad()));
  }

  /** A fresh optimizer with moment decay rates {@code beta1, beta2}. */
  public Adam betas(double beta1, double beta2) {
    Config c = config;
    return of(new Config(c.lr(), beta1, beta2, c.eps(), c.weightDecay(), c.amsgrad()));
  }

  /** A fresh optimizer with denominator term {@code eps}. */
  public Adam eps(double eps) {
    Config c = config;
    return of(new Config(c.lr(), c.beta1(), c.beta2(), eps, c.weightDecay(), c.amsgrad()));
  }

  /** A fresh optimizer with L2 penalty {@code weightDecay}. */
  public Adam weightDecay(double weightDecay) {
    Config c = config;
    return of(new Config(c.lr(), c.beta1(), c.beta2(), c.eps(), weightDecay, c.amsgrad()));
  }

  /** A fresh optimizer that divides by the running maximum of {@code v} when {@code amsgrad}. */
  public Adam amsgrad(boolean amsgrad) {
    Config c = config;
    return of(new Config(c.lr(), c.beta1(), c.beta2(), c.eps(), c.weightDecay(), amsgrad));
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
    Config c = config;
    state.step("Adam", theta, grad, lr, c.beta1(), c.beta2(), c.eps(), c.weightDecay(), 0,
        c.amsgrad());
  }

  @Override
  public void reset() {
    state.reset();
  }

  @Override
  public long steps() {
    return state.steps;
  }

  /** {@code {m, v}}, plus {@code vMax} with amsgrad, once stepped. */
  @Override
  public float[][] state() {
    return state.arrays();
  }

  @Override
  public void restore(float[][] state, long steps) {
    this.state.restore("Adam", state, steps, config.amsgrad());
  }

  @Override
  public String toString() {
    return "Adam" + config;
  }
}
