package dev.annonet.optim;

/**
 * Full-batch gradient descent with a backtracking (Armijo) line search: tries
 * {@code theta - t * grad} for {@code t = lr, lr * factor, lr * factor^2, ...} and takes the first
 * {@code t} with {@code f(theta - t * grad) < f(theta) - c * t * |grad|^2}.
 *
 * <p>With {@code c = 0} (the default) the rule is plain strict decrease, so {@code f} never
 * increases from one step to the next; {@code c > 0} is Armijo's sufficient-decrease condition
 * (Armijo 1966; Nocedal and Wright, <i>Numerical Optimization</i>, 2nd ed., Algorithm 3.1,
 * suggest {@code c = 1e-4}). If no trial decreases {@code f} within {@code maxHalvings}
 * reductions, {@code theta} is left unchanged: the point is then a (numerical) stationary point or
 * the gradient is wrong. Each step evaluates {@code f} one or more times, so it {@linkplain
 * #needsObjective() needs the objective}.
 */
public final class LineSearch implements Optimizer {

  /**
   * The settings: {@code lr}, the first trial step (default 1); {@code factor}, the reduction per
   * trial in (0, 1) (default 0.5, halving); {@code c}, the Armijo constant in [0, 1) (default 0,
   * strict decrease); {@code maxHalvings}, the number of reductions before giving up (default 40).
   */
  public record Config(float lr, double factor, double c, int maxHalvings) {
    public Config {
      Check.lr("LineSearch", lr);
      Check.openUnit("LineSearch", "factor", factor);
      Check.unit("LineSearch", "c", c);
      Check.atLeast("LineSearch", "maxHalvings", maxHalvings, 0);
    }
  }

  private final Config config;
  private float[] trial;
  private long steps;
  private float lastStepSize = Float.NaN;
  private int evaluations;

  private LineSearch(Config config) {
    this.config = config;
  }

  /** {@code lr = 1, factor = 0.5, c = 0, maxHalvings = 40}. */
  public static LineSearch defaults() {
    return new LineSearch(new Config(1f, 0.5, 0, 40));
  }

  /** An optimizer with the given settings. */
  public static LineSearch of(Config config) {
    return new LineSearch(Check.config("LineSearch", config));
  }

  /** A fresh optimizer whose first trial step is {@code lr}. */
  public LineSearch lr(float lr) {
    return new LineSearch(new Config(lr, config.factor(), config.c(), config.maxHalvings()));
  }

  /** A fresh optimizer that multiplies the trial step by {@code factor} after each failure. */
  public LineSearch factor(double factor) {
    return new LineSearch(new Config(config.lr(), factor, config.c(), config.maxHalvings()));
  }

  /** A fresh optimizer with Armijo constant {@code c}. */
  public LineSearch c(double c) {
    return new LineSearch(new Config(config.lr(), config.factor(), c, config.maxHalvings()));
  }

  /** A fresh optimizer that gives up after {@code maxHalvings} reductions. */
  public LineSearch maxHalvings(int maxHalvings) {
    return new LineSearch(new Config(config.lr(), config.factor(), config.c(), maxHalvings));
  }

  public Config config() {
    return config;
  }

  @Override
  public float learningRate() {
    return config.lr();
  }

  @Override
  public boolean needsObjective() {
    return true;
  }

  /** Always throws: a line search has to evaluate the objective. */
  @Override
  public void step(float[] theta, float[] grad, float lr) {
    throw new IllegalStateException(
        "LineSearch evaluates f: call step(theta, grad, lr, objective, value)");
  }

  /**
   * Searches along {@code -grad} from {@code theta} (where {@code f} is {@code value}), moves
   * {@code theta} to the accepted point and returns {@code f} there; returns {@code value} and
   * leaves {@code theta} unchanged when no trial step decreases {@code f}.
   */
  @Override
  public double step(float[] theta, float[] grad, float lr, Objective f, double value) {
    int n = Check.sizes("LineSearch", theta, grad, trial == null ? -1 : trial.length);
    if (trial == null) {
      trial = new float[n];
    }
    double gradNormSquared = 0;
    for (int i = 0; i < n; i++) {
      gradNormSquared += (double) grad[i] * grad[i];
    }
    steps++;
    evaluations = 0;
    double t = lr;
    for (int k = 0; k <= config.maxHalvings(); k++, t *= config.factor()) {
      float tf = (float) t;
      for (int i = 0; i < n; i++) {
        trial[i] = theta[i] - tf * grad[i];
      }
      double trialValue = f.value(trial);
      evaluations++;
      // Strict inequality: with c = 0 a step that leaves f equal (a flat direction, or a step
      // below float resolution) is not progress and must not be taken.
      if (trialValue < value - config.c() * t * gradNormSquared) {
        System.arraycopy(trial, 0, theta, 0, n);
        lastStepSize = tf;
        return trialValue;
      }
    }
    lastStepSize = 0;
    return value;
  }

  /** The step size accepted by the last step, 0 if it found no decrease, NaN before any step. */
  public float lastStepSize() {
    return lastStepSize;
  }

  /** The number of evaluations of {@code f} in the last step. */
  public int lastEvaluations() {
    return evaluations;
  }

  @Override
  public void reset() {
    steps = 0;
    lastStepSize = Float.NaN;
    evaluations = 0;
    trial = null;
  }

  @Override
  public long steps() {
    return steps;
  }

  /** Empty: the trial buffer is scratch space, not state. */
  @Override
  public float[][] state() {
    return new float[0][];
  }

  /** Restores the step count; the last step's size and evaluations are forgotten. */
  @Override
  public void restore(float[][] state, long steps) {
    State.restore("LineSearch", state, steps);
    this.steps = steps;
    lastStepSize = Float.NaN;
    evaluations = 0;
  }

  @Override
  public String toString() {
    return "LineSearch" + config;
  }
}
