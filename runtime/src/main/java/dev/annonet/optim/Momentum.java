package dev.annonet.optim;

import dev.annonet.kernels.Updates;

/**
 * Gradient descent with momentum, in the lecture's exponential-average form or PyTorch's
 * heavy-ball form.
 *
 * <ul>
 *   <li>{@link #lecture(double) lecture(gamma)}: {@code v <- gamma * v + (1 - gamma) * g;
 *       theta <- theta - lr * v}, with {@code v = 0} before the first step. The velocity is an
 *       exponential moving average of the gradients, so its scale is the gradient's.
 *   <li>{@link #heavyBall(double) heavyBall(mu)}: {@code buf <- mu * buf + (1 - dampening) * g;
 *       theta <- theta - lr * buf}, with {@code buf = g} on the first step, as
 *       <a href="https://pytorch.org/docs/stable/generated/torch.optim.SGD.html">
 *       torch.optim.SGD(momentum=mu, dampening=...)</a> (Polyak 1964). Without dampening the
 *       velocity is a sum, about {@code 1 / (1 - mu)} gradients at steady state, so the same
 *       {@code lr} takes larger steps than the lecture form.
 * </ul>
 *
 * <p>In both, {@code g = grad + weightDecay * theta}. The lecture form equals the heavy-ball form
 * with {@code dampening = gamma} except on the first step, where PyTorch does not dampen.
 */
public final class Momentum implements Optimizer {

  /** The two update rules. */
  public enum Form {
    /** {@code v <- gamma * v + (1 - gamma) * g}. */
    LECTURE,
    /** {@code buf <- mu * buf + (1 - dampening) * g}, {@code buf = g} on the first step. */
    HEAVY_BALL
  }

  /**
   * The settings, with PyTorch's names: {@code lr} (default {@code 1e-3}); {@code momentum}, the
   * lecture's gamma or torch's mu, in [0, 1) (default 0.9); {@code dampening} in [0, 1]
   * (heavy-ball form only, default 0); {@code weightDecay} (L2 penalty, default 0).
   */
  public record Config(Form form, float lr, double momentum, double dampening,
      double weightDecay) {
    public Config {
      if (form == null) {
        throw new IllegalArgumentException("Momentum: form must not be null");
      }
      Check.lr("Momentum", lr);
      Check.unit("Momentum", "momentum", momentum);
      Check.closedUnit("Momentum", "dampening", dampening);
      if (form == Form.LECTURE && dampening != 0) {
        throw new IllegalArgumentException("Momentum: dampening = " + dampening
            + " applies to the heavy-ball form only; the lecture form always uses 1 - momentum");
      }
      Check.nonNegative("Momentum", "weightDecay", weightDecay);
    }
  }

  private final Config config;
  private float[] velocity;
  private long steps;

  private Momentum(Config config) {
    this.config = config;
  }

  /** Heavy ball with {@code momentum = 0.9, lr = 1e-3}, no dampening, no weight decay. */
  public static Momentum defaults() {
    return heavyBall(0.9);
  }

  /** The lecture's form {@code v <- gamma * v + (1 - gamma) * g}, {@code lr = 1e-3}. */
  public static Momentum lecture(double gamma) {
    return new Momentum(new Config(Form.LECTURE, 1e-3f, gamma, 0, 0));
  }

  /** PyTorch's form {@code buf <- mu * buf + g}, {@code lr = 1e-3}. */
  public static Momentum heavyBall(double mu) {
    return new Momentum(new Config(Form.HEAVY_BALL, 1e-3f, mu, 0, 0));
  }

  /** An optimizer with the given settings. */
  public static Momentum of(Config config) {
    return new Momentum(Check.config("Momentum", config));
  }

  /** A fresh optimizer with base step size {@code lr}. */
  public Momentum lr(float lr) {
    return new Momentum(new Config(config.form(), lr, config.momentum(), config.dampening(),
        config.weightDecay()));
  }

  /** A fresh heavy-ball optimizer with the given dampening. */
  public Momentum dampening(double dampening) {
    return new Momentum(new Config(config.form(), config.lr(), config.momentum(), dampening,
        config.weightDecay()));
  }

  /** A fresh optimizer with L2 penalty {@code weightDecay}. */
  public Momentum weightDecay(double weightDecay) {
    return new Momentum(new Config(config.form(), config.lr(), config.momentum(),
        config.dampening(), weightDecay));
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
    int n = Check.sizes("Momentum", theta, grad, velocity == null ? -1 : velocity.length);
    boolean first = velocity == null;
    if (first) {
      velocity = new float[n];
    }
    float[] v = velocity;
    float mu = (float) config.momentum();
    float wd = (float) config.weightDecay();
    float gain;
    if (config.form() == Form.LECTURE) {
      gain = 1 - mu;
    } else {
      // PyTorch starts the buffer at the undampened gradient: with v = 0, mu * v + 1 * g = g.
      gain = first ? 1 : (float) (1 - config.dampening());
    }
    // g = grad + wd * theta; v = mu * v + gain * g; theta -= lr * v.
    Updates.momentum(theta, grad, v, n, lr, mu, gain, wd);
    steps++;
  }

  @Override
  public void reset() {
    velocity = null;
    steps = 0;
  }

  @Override
  public long steps() {
    return steps;
  }

  /** {@code {velocity}} once stepped. */
  @Override
  public float[][] state() {
    return velocity == null ? new float[0][] : new float[][] {velocity};
  }

  @Override
  public void restore(float[][] state, long steps) {
    float[][] s = State.restore("Momentum", state, steps, "velocity");
    velocity = s.length == 0 ? null : s[0];
    this.steps = steps;
  }

  @Override
  public String toString() {
    return "Momentum" + config;
  }
}
