package dev.annonet.optim;

import dev.annonet.kernels.Updates;

import java.util.ArrayList;
import java.util.List;

/**
 * RMSProp, {@code g = grad + weightDecay * theta; v <- alpha * v + (1 - alpha) * g^2;
 * theta <- theta - lr * g / (sqrt(v) + eps)}, as
 * <a href="https://pytorch.org/docs/stable/generated/torch.optim.RMSprop.html">
 * torch.optim.RMSprop</a> (Hinton, Coursera lecture 6e, 2012).
 *
 * <p>Options as in PyTorch: {@code centered} subtracts the squared running mean of the gradient,
 * {@code avg = sqrt(v - m^2) + eps} with {@code m <- alpha * m + (1 - alpha) * g}; {@code
 * momentum > 0} keeps {@code buf <- momentum * buf + g / avg} and steps
 * {@code theta <- theta - lr * buf}.
 *
 * <p>The lecture's slide divides by the running average itself, without a square root; this class
 * implements the standard square-root form, which PyTorch and Hinton's lecture use.
 */
public final class RmsProp implements Optimizer {

  /**
   * The settings, with PyTorch's names and defaults: {@code lr = 1e-2}, {@code alpha = 0.99},
   * {@code eps = 1e-8}, {@code weightDecay = 0}, {@code momentum = 0}, {@code centered = false}.
   */
  public record Config(float lr, double alpha, double eps, double weightDecay, double momentum,
      boolean centered) {
    public Config {
      Check.lr("RmsProp", lr);
      Check.unit("RmsProp", "alpha", alpha);
      Check.nonNegative("RmsProp", "eps", eps);
      Check.nonNegative("RmsProp", "weightDecay", weightDecay);
      Check.unit("RmsProp", "momentum", momentum);
    }
  }

  private final Config config;
  private float[] squareAvg;
  private float[] gradAvg;
  private float[] buffer;
  private long steps;

  private RmsProp(Config config) {
    this.config = config;
  }

  /** PyTorch's defaults. */
  public static RmsProp defaults() {
    return new RmsProp(new Config(1e-2f, 0.99, 1e-8, 0, 0, false));
  }

  /** An optimizer with the given settings. */
  public static RmsProp of(Config config) {
    return new RmsProp(Check.config("RmsProp", config));
  }

  /** A fresh optimizer with base step size {@code lr}. */
  public RmsProp lr(float lr) {
    Config c = config;
    return of(new Config(lr, c.alpha(), c.eps(), c.weightDecay(), c.momentum(), c.centered()));
  }

  /** A fresh optimizer with smoothing constant {@code alpha}. */
  public RmsProp alpha(double alpha) {
    Config c = config;
    return of(new Config(c.lr(), alpha, c.eps(), c.weightDecay(), c.momentum(), c.centered()));
  }

  /** A fresh optimizer with denominator term {@code eps}. */
  public RmsProp eps(double eps) {
    Config c = config;
    return of(new Config(c.lr(), c.alpha(), eps, c.weightDecay(), c.momentum(), c.centered()));
  }

  /** A fresh optimizer with L2 penalty {@code weightDecay}. */
  public RmsProp weightDecay(double wd) {
    Config c = config;
    return of(new Config(c.lr(), c.alpha(), c.eps(), wd, c.momentum(), c.centered()));
  }

  /** A fresh optimizer with momentum {@code mu}. */
  public RmsProp momentum(double mu) {
    Config c = config;
    return of(new Config(c.lr(), c.alpha(), c.eps(), c.weightDecay(), mu, c.centered()));
  }

  /** A fresh optimizer that normalises by the gradient's running variance when {@code centered}. */
  public RmsProp centered(boolean centered) {
    Config c = config;
    return of(new Config(c.lr(), c.alpha(), c.eps(), c.weightDecay(), c.momentum(), centered));
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
    int n = Check.sizes("RmsProp", theta, grad, squareAvg == null ? -1 : squareAvg.length);
    if (squareAvg == null) {
      squareAvg = new float[n];
      // Only the options in use get a buffer: the loop below reads them only behind flags.
      gradAvg = config.centered() ? new float[n] : null;
      buffer = config.momentum() > 0 ? new float[n] : null;
    }
    float[] v = squareAvg;
    float[] m = gradAvg;
    float[] buf = buffer;
    float alpha = (float) config.alpha();
    float oneMinusAlpha = (float) (1 - config.alpha());
    float eps = (float) config.eps();
    float wd = (float) config.weightDecay();
    float mu = (float) config.momentum();
    // g = grad + wd * theta; v = alpha * v + (1 - alpha) * g * g; centered (m not null):
    // m = alpha * m + (1 - alpha) * g, avg = sqrt(v - m * m) + eps, else avg = sqrt(v) + eps;
    // momentum (buf not null): buf = mu * buf + g / avg, theta -= lr * buf; else
    // theta -= lr * g / avg.
    Updates.rmsProp(theta, grad, v, m, buf, n, lr, alpha, oneMinusAlpha, eps, wd, mu);
    steps++;
  }

  @Override
  public void reset() {
    squareAvg = null;
    gradAvg = null;
    buffer = null;
    steps = 0;
  }

  @Override
  public long steps() {
    return steps;
  }

  /**
   * {@code {squareAvg}}, then {@code gradAvg} if centered, then the momentum buffer if
   * {@code momentum > 0}, once stepped.
   */
  @Override
  public float[][] state() {
    if (squareAvg == null) {
      return new float[0][];
    }
    int count = 1 + (gradAvg != null ? 1 : 0) + (buffer != null ? 1 : 0);
    float[][] out = new float[count][];
    int k = 0;
    out[k++] = squareAvg;
    if (gradAvg != null) {
      out[k++] = gradAvg;
    }
    if (buffer != null) {
      out[k] = buffer;
    }
    return out;
  }

  @Override
  public void restore(float[][] state, long steps) {
    List<String> names = new ArrayList<>(List.of("squareAvg"));
    if (config.centered()) {
      names.add("gradAvg");
    }
    if (config.momentum() > 0) {
      names.add("momentumBuffer");
    }
    float[][] s = State.restore("RmsProp", state, steps, names.toArray(new String[0]));
    int k = 0;
    squareAvg = s.length == 0 ? null : s[k++];
    gradAvg = s.length == 0 || !config.centered() ? null : s[k++];
    buffer = s.length == 0 || config.momentum() <= 0 ? null : s[k];
    this.steps = steps;
  }

  @Override
  public String toString() {
    return "RmsProp" + config;
  }
}
