package dev.annonet.optim;

/**
 * Estimates {@code L}, the Lipschitz constant of an objective's gradient near a point, the
 * constant of the course's gradient descent theorem whose step {@code 1/L} decreases {@code f}
 * at every step: {@code L} is the largest absolute eigenvalue of the Hessian, found by power
 * iteration on Hessian-vector products formed from gradient differences,
 * {@code H v ~ (grad f(theta + h v) - grad f(theta - h v)) / (2h)} (two gradients per
 * iteration; exact for quadratics up to rounding).
 *
 * <p>The start vector is drawn from {@code seed}, so an estimate is deterministic. The power
 * iteration's {@code |H v|} (with {@code |v| = 1}) rises towards the largest eigenvalue from
 * below; it stops after {@code iterations} products or once it changes by less than
 * {@code tolerance} relative to itself. Because it stops short of the limit, and because the
 * Hessian elsewhere (where the steps lead) may be larger, the returned constant is the
 * estimate times {@code safety} (default 1.1: the step {@code 1/L} keeps a tenth of margin,
 * still decreasing {@code f} for any underestimate of up to 50%, since gradient descent does so
 * for steps below {@code 2/L}). {@code h} is {@code relativeStep * max(1, |theta|)}, about the
 * cube root of float precision times the parameters' scale, balancing the central difference's
 * truncation error ({@code h^2}) against the float gradients' rounding ({@code 1/h}).
 *
 * <pre>{@code
 * Lipschitz.Estimate e = Lipschitz.defaults().estimate(f, theta);
 * Minimizer.of(GradientDescent.defaults().lr((float) (1 / e.constant()))).run(f, theta);
 * }</pre>
 */
public final class Lipschitz {

  /**
   * The settings: {@code iterations}, the most Hessian-vector products (default 100);
   * {@code tolerance}, the relative change that ends the iteration (default 1e-4);
   * {@code safety}, the factor on the estimate, at least 1 (default 1.1); {@code relativeStep},
   * {@code h} per unit of {@code max(1, |theta|)} (default 1e-3); {@code seed}, the start
   * vector's (default 42).
   */
  public record Config(int iterations, double tolerance, double safety, double relativeStep,
      long seed) {
    public Config {
      Check.atLeast("Lipschitz", "iterations", iterations, 1);
      Check.nonNegative("Lipschitz", "tolerance", tolerance);
      if (!(safety >= 1) || Double.isInfinite(safety)) {
        throw Check.outside("Lipschitz", "safety", safety, "[1, +inf)");
      }
      if (!(relativeStep > 0) || Double.isInfinite(relativeStep)) {
        throw Check.outside("Lipschitz", "relativeStep", relativeStep, "(0, +inf)");
      }
    }
  }

  /**
   * An estimate.
   *
   * @param constant {@code safety * curvature}: the {@code L} to use, as in a step {@code 1/L}
   * @param curvature the power iteration's last {@code |H v|}, the largest absolute eigenvalue
   *     of the Hessian as far as it got
   * @param iterations the Hessian-vector products computed
   * @param converged true when the iteration stopped on the tolerance, not the iteration budget
   */
  public record Estimate(double constant, double curvature, int iterations, boolean converged) {}

  private final Config config;

  private Lipschitz(Config config) {
    this.config = config;
  }

  /** {@code iterations 100, tolerance 1e-4, safety 1.1, relativeStep 1e-3, seed 42}. */
  public static Lipschitz defaults() {
    return new Lipschitz(new Config(100, 1e-4, 1.1, 1e-3, 42));
  }

  /** An estimator with the given settings. */
  public static Lipschitz of(Config config) {
    return new Lipschitz(Check.config("Lipschitz", config));
  }

  /** The same estimator with at most {@code iterations} Hessian-vector products. */
  public Lipschitz iterations(int iterations) {
    return new Lipschitz(new Config(iterations, config.tolerance(), config.safety(),
        config.relativeStep(), config.seed()));
  }

  /** The same estimator stopping once the estimate changes by less than this, relatively. */
  public Lipschitz tolerance(double tolerance) {
    return new Lipschitz(new Config(config.iterations(), tolerance, config.safety(),
        config.relativeStep(), config.seed()));
  }

  /** The same estimator returning {@code safety} times the power iteration's value. */
  public Lipschitz safety(double safety) {
    return new Lipschitz(new Config(config.iterations(), config.tolerance(), safety,
        config.relativeStep(), config.seed()));
  }

  /** The same estimator with {@code h = relativeStep * max(1, |theta|)}. */
  public Lipschitz relativeStep(double relativeStep) {
    return new Lipschitz(new Config(config.iterations(), config.tolerance(), config.safety(),
        relativeStep, config.seed()));
  }

  /** The same estimator starting from the vector drawn from {@code seed}. */
  public Lipschitz seed(long seed) {
    return new Lipschitz(new Config(config.iterations(), config.tolerance(), config.safety(),
        config.relativeStep(), seed));
  }

  public Config config() {
    return config;
  }

  /**
   * Estimates {@code L} for {@code f} at {@code theta} (not modified).
   *
   * @throws IllegalArgumentException if {@code theta} does not fit {@code f}
   * @throws IllegalStateException if a gradient is not finite or the gradient does not change
   *     near {@code theta} (no curvature: {@code f} is linear there)
   */
  public Estimate estimate(Objective f, float[] theta) {
    Work work = new Work(theta.length);
    run(f, theta, work, false);
    return new Estimate(config.safety() * work.curvature, work.curvature, work.iterations,
        work.converged);
  }

  /**
   * Buffers for the power iteration, sized once, so that repeated estimates (as
   * {@link GradientDescent} makes) allocate nothing; also the last result.
   */
  static final class Work {
    final double[] v;
    final float[] plus;
    final float[] minus;
    final float[] gradPlus;
    final float[] gradMinus;
    double curvature;
    int iterations;
    boolean converged;

    Work(int n) {
      v = new double[n];
      plus = new float[n];
      minus = new float[n];
      gradPlus = new float[n];
      gradMinus = new float[n];
    }
  }

  /**
   * Runs the power iteration into {@code work}; starts from the seeded vector, or from the
   * vector {@code work} holds from an earlier run when {@code warm} (faster when the Hessian has
   * changed little).
   */
  void run(Objective f, float[] theta, Work work, boolean warm) {
    int n = theta.length;
    if (n != f.dimension() || n != work.v.length) {
      throw new IllegalArgumentException("Lipschitz: theta has " + n + " entries but the"
          + " objective has dimension " + f.dimension());
    }
    double[] v = work.v;
    if (!warm) {
      long state = config.seed();
      for (int i = 0; i < n; i++) {
        state += 0x9E3779B97F4A7C15L;
        v[i] = (mix(state) >>> 11) * 0x1p-53 * 2 - 1;
      }
    }
    normalize(v);
    double h = config.relativeStep() * Math.max(1, norm(theta));
    double last = 0;
    work.converged = false;
    int k = 0;
    while (k < config.iterations()) {
      k++;
      // The points actually evaluated are rounded to float: difference them, not h v.
      double moved = 0;
      for (int i = 0; i < n; i++) {
        work.plus[i] = (float) (theta[i] + h * v[i]);
        work.minus[i] = (float) (theta[i] - h * v[i]);
        double d = ((double) work.plus[i] - work.minus[i]) / (2 * h);
        moved += d * d;
      }
      f.valueAndGradient(work.plus, work.gradPlus);
      f.valueAndGradient(work.minus, work.gradMinus);
      double squares = 0;
      for (int i = 0; i < n; i++) {
        double hv = ((double) work.gradPlus[i] - work.gradMinus[i]) / (2 * h);
        v[i] = hv;
        squares += hv * hv;
      }
      double curvature = Math.sqrt(squares / moved);
      if (!Double.isFinite(curvature)) {
        throw new IllegalStateException("Lipschitz: the gradient near theta is not finite"
            + " (power iteration " + k + "): estimate at a point where f is finite, or with a"
            + " smaller relativeStep than " + config.relativeStep());
      }
      if (curvature == 0) {
        throw new IllegalStateException("Lipschitz: the gradient does not change near theta, so"
            + " f has no curvature there and no step 1/L: use a fixed step, e.g."
            + " GradientDescent.defaults().lr(0.1f)");
      }
      normalize(v);
      boolean settled = Math.abs(curvature - last) <= config.tolerance() * curvature;
      last = curvature;
      if (settled) {
        work.converged = true;
        break;
      }
    }
    work.curvature = last;
    work.iterations = k;
  }

  /** SplitMix64's output function (Steele, Lea and Flood 2014). */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void normalize(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    double inv = 1 / Math.sqrt(s);
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
  }

  private static double norm(float[] theta) {
    double s = 0;
    for (float x : theta) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  @Override
  public String toString() {
    return "Lipschitz" + config;
  }
}
