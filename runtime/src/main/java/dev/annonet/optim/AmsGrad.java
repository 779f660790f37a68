package dev.annonet.optim;

/**
 * AMSGrad, Adam dividing by the running maximum of the second moment, {@code vMax <- max(vMax,
 * v); theta <- theta - lr / (1 - b1^t) * m / (sqrt(vMax) / sqrt(1 - b2^t) + eps)}, as
 * <a href="https://pytorch.org/docs/stable/generated/torch.optim.Adam.html">
 * torch.optim.Adam(amsgrad=True)</a> (Reddi, Kale and Kumar, "On the Convergence of Adam and
 * Beyond", ICLR 2018).
 *
 * <p>Like PyTorch, the maximum is taken over the raw {@code v} and bias-corrected with the current
 * step, so the effective step never grows because {@code v} shrank. Same settings as
 * {@link Adam}; a shorthand for {@code Adam.defaults().amsgrad(true)}.
 */
public final class AmsGrad implements Optimizer {

  private final Adam adam;

  private AmsGrad(Adam adam) {
    this.adam = adam;
  }

  /** Adam's PyTorch defaults with {@code amsgrad = true}. */
  public static AmsGrad defaults() {
    return new AmsGrad(Adam.defaults().amsgrad(true));
  }

  /** A fresh optimizer with base step size {@code lr}. */
  public AmsGrad lr(float lr) {
    return new AmsGrad(adam.lr(lr));
  }

  /** A fresh optimizer with moment decay rates {@code beta1, beta2}. */
  public AmsGrad betas(double beta1, double beta2) {
    return new AmsGrad(adam.betas(beta1, beta2));
  }

  /** A fresh optimizer with denominator term {@code eps}. */
  public AmsGrad eps(double eps) {
    return new AmsGrad(adam.eps(eps));
  }

  /** A fresh optimizer with L2 penalty {@code weightDecay}. */
  public AmsGrad weightDecay(double weightDecay) {
    return new AmsGrad(adam.weightDecay(weightDecay));
  }

  /** The settings ({@code amsgrad} is always true). */
  public Adam.Config config() {
    return adam.config();
  }

  @Override
  public float learningRate() {
    return adam.learningRate();
  }

  @Override
  public void step(float[] theta, float[] grad, float lr) {
    adam.step(theta, grad, lr);
  }

  @Override
  public void reset() {
    adam.reset();
  }

  @Override
  public long steps() {
    return adam.steps();
  }

  /** {@code {m, v, vMax}} once stepped. */
  @Override
  public float[][] state() {
    return adam.state();
  }

  @Override
  public void restore(float[][] state, long steps) {
    adam.restore(state, steps);
  }

  @Override
  public String toString() {
    return "AmsGrad" + adam.config();
  }
}
