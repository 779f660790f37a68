package dev.annonet.optim;

/**
 * Adam with decoupled weight decay, {@code theta <- theta * (1 - lr * weightDecay)} followed by an
 * {@link Adam} step on the plain gradient, as
 * <a href="https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html">torch.optim.AdamW</a>
 * (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR 2019).
 *
 * <p>Unlike Adam's L2 penalty, the decay is not divided by the adaptive denominator, so every
 * weight shrinks by the same factor whatever its gradient history.
 */
public final class AdamW implements Optimizer {

  /**
   * The settings, with PyTorch's names and defaults: {@code lr = 1e-3}, {@code betas = (0.9,
   * 0.999)}, {@code eps = 1e-8}, {@code weightDecay = 1e-2} (decoupled), {@code amsgrad = false}.
   */
  public record Config(float lr, double beta1, double beta2, double eps, double weightDecay,
      boolean amsgrad) {
    public Config {
      Check.lr("AdamW", lr);
      Check.unit("AdamW", "betas[0]", beta1);
      Check.unit("AdamW", "betas[1]", beta2);
      Check.nonNegative("AdamW", "eps", eps);
      Check.nonNegative("AdamW", "weightDecay", weightDecay);
    }
  }

  private final Config config;
  private final AdamState state = new AdamState();

  private AdamW(Config config) {
    this.config = config;
  }

  /** PyTorch's defaults. */
  public static AdamW defaults() {
    return new AdamW(new Config(1e-3f, 0.9, 0.999, 1e-8, 1e-2, false));
  }

  /** An optimizer with the given settings. */
  public static AdamW of(Config config) {
    return new AdamW(Check.config("AdamW", config));
  }

  /** A fresh optimizer with base step size {@code lr}. */
  public AdamW lr(float lr) {
    Config c = config;
    return of(new Config(lr, c.beta1(), c.beta2(), c.eps(), c.weightDecay(), c.amsgrad()));
  }

  /** A fresh optimizer with moment decay rates {@code beta1, beta2}. */
  public AdamW betas(double beta1, double beta2) {
    Config c = config;
    return of(new Config(c.lr(), beta1, beta2, c.eps(), c.weightDecay(), c.amsgrad()));
  }

  /** A fresh optimizer with denominator term {@code eps}. */
  public AdamW eps(double eps) {
    Config c = config;
    return of(new Config(c.lr(), c.beta1(), c.beta2(), eps, c.weightDecay(), c.amsgrad()));
  }

  /** A fresh optimizer with decoupled decay {@code weightDecay}. */
  public AdamW weightDecay(double weightDecay) {
    Config c = config;
    return of(new Config(c.lr(), c.beta1(), c.beta2(), c.eps(), weightDecay, c.amsgrad()));
  }

  /** A fresh optimizer that divides by the running maximum of {@code v} when {@code amsgrad}. */
  public AdamW amsgrad(boolean amsgrad) {
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
    state.step("AdamW", theta, grad, lr, c.beta1(), c.beta2(), c.eps(), 0, c.weightDecay(),
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
    this.state.restore("AdamW", state, steps, config.amsgrad());
  }

  @Override
  public String toString() {
    return "AdamW" + config;
  }
}
