package dev.annonet.optim;

import dev.annonet.kernels.Updates;

/**
 * Nesterov's accelerated gradient in PyTorch's form, {@code g = grad + weightDecay * theta;
 * buf <- mu * buf + g; theta <- theta - lr * (g + mu * buf)}, as
 * <a href="https://pytorch.org/docs/stable/generated/torch.optim.SGD.html">
 * torch.optim.SGD(momentum=mu, nesterov=True)</a> (Nesterov 1983; Sutskever et al., "On the
 * importance of initialization and momentum in deep learning", ICML 2013).
 *
 * <p>The lecture writes Nesterov with a look-ahead: {@code v <- mu * v - lr * grad f(theta + mu *
 * v); theta <- theta + v}, which needs the gradient at a point other than {@code theta}, while a
 * trainer only has the gradient at the current parameters. The two are the same method: with
 * {@code phi = theta + mu * v} and {@code buf = -v / lr}, the look-ahead iteration becomes exactly
 * the update above on {@code phi}, so this class's parameters are the look-ahead points
 * {@code phi_k}. {@code NesterovEquivalenceTest} checks that the trajectories coincide in that
 * variable (for a constant {@code lr}; with a schedule the change of variables holds only
 * approximately, as in PyTorch).
 */
public final class Nesterov implements Optimizer {

  /**
   * The settings, with PyTorch's names: {@code lr} (default {@code 1e-3}); {@code momentum} in
   * [0, 1) (default 0.9); {@code weightDecay} (L2 penalty, default 0). PyTorch's Nesterov admits
   * no dampening.
   */
  public record Config(float lr, double momentum, double weightDecay) {
    public Config {
      Check.lr("Nesterov", lr);
      Check.unit("Nesterov", "momentum", momentum);
      Check.nonNegative("Nesterov", "weightDecay", weightDecay);
    }
  }

  private final Config config;
  private float[] buffer;
  private long steps;

  private Nesterov(Config config) {
    this.config = config;
  }

  /** {@code lr = 1e-3, momentum = 0.9, weightDecay = 0}. */
  public static Nesterov defaults() {
    return new Nesterov(new Config(1e-3f, 0.9, 0));
  }

  /** An optimizer with the given settings. */
  public static Nesterov of(Config config) {
    return new Nesterov(Check.config("Nesterov", config));
  }

  /** A fresh optimizer with base step size {@code lr}. */
  public Nesterov lr(float lr) {
    return new Nesterov(new Config(lr, config.momentum(), config.weightDecay()));
  }

  /** A fresh optimizer with momentum {@code mu}. */
  public Nesterov momentum(double mu) {
    return new Nesterov(new Config(config.lr(), mu, config.weightDecay()));
  }

  /** A fresh optimizer with L2 penalty {@code weightDecay}. */
  public Nesterov weightDecay(double weightDecay) {
    return new Nesterov(new Config(config.lr(), config.momentum(), weightDecay));
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
    int n = Check.sizes("Nesterov", theta, grad, buffer == null ? -1 : buffer.length);
    if (buffer == null) {
      // Zero start gives buf = g on the first step, PyTorch's initialisation (no dampening).
      buffer = new float[n];
    }
    float[] buf = buffer;
    float mu = (float) config.momentum();
    float wd = (float) config.weightDecay();
    // g = grad + wd * theta; buf = mu * buf + g; theta -= lr * (g + mu * buf).
    Updates.nesterov(theta, grad, buf, n, lr, mu, wd);
    steps++;
  }

  @Override
  public void reset() {
    buffer = null;
    steps = 0;
  }

  @Override
  public long steps() {
    return steps;
  }

  /** {@code {momentumBuffer}} once stepped. */
  @Override
  public float[][] state() {
    return buffer == null ? new float[0][] : new float[][] {buffer};
  }

  @Override
  public void restore(float[][] state, long steps) {
    float[][] s = State.restore("Nesterov", state, steps, "momentumBuffer");
    buffer = s.length == 0 ? null : s[0];
    this.steps = steps;
  }

  @Override
  public String toString() {
    return "Nesterov" + config;
  }
}
