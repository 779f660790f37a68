package dev.annonet;

/**
 * Checks a residual loss's derivative against central differences of the loss itself: {@code
 * dphi(r)} against {@code (phi(r + h) - phi(r - h)) / 2h}, taken in double over the float values
 * phi returns, on a grid of residuals. For a {@code @ResidualLoss} model, whose generated class
 * has {@code public static float phi(float r)} and {@code dphi(float r)} (written by hand or
 * derived by Annonet): {@code PhiCheck.check(RobustModel::phi, RobustModel::dphi).orThrow()}.
 *
 * <p>The step is {@code h = 1e-2 max(1, |r|)}: phi is float, so a smaller step would drown the
 * difference in phi's rounding (one ulp of phi over {@code 2h}, 1e-4 for phi near 8); the
 * truncation error of the half step, {@code h^2 phi''' / 24}, is far below the tolerance. Where
 * the central differences with {@code h} and {@code h / 2} disagree, or the forward minus the
 * backward difference is not proportional to the step (as {@code h phi''} is), phi has a kink
 * within the step (Huber's {@code |r| = delta}, the pinball's 0): finite differences say nothing
 * there, so the residual is counted as a kink and skipped (as {@link GradientCheck} does).
 * Values at the kinks themselves are a matter of convention (Annonet's derived code takes
 * PyTorch's), which tests check by value.
 */
public final class PhiCheck {
  /** The step of the central differences, relative to {@code max(1, |r|)}. */
  public static final double STEP = 1e-2;
  /** A derivative passes if {@code |analytic - numeric| <= TOLERANCE * max(1, |numeric|)}. */
  public static final double TOLERANCE = 1e-3;

  /** {@code phi} or {@code dphi}: {@code float f(float r)}, as a method reference to either. */
  @FunctionalInterface
  public interface FloatFunction {
    float apply(float r);
  }

  private PhiCheck() {}

  /**
   * The outcome: the residual where dphi is furthest from the differences, both values there and
   * their relative error (against {@code max(1, |numeric|)}), and how many of the residuals had a
   * kink within the step.
   */
  public record Result(
      double worstResidual, double analytic, double numeric, double relativeError, int kinks,
      int residuals) {

    /** Within the tolerance everywhere, with at most a tenth of the residuals on kinks. */
    public boolean passed() {
      return relativeError <= TOLERANCE && kinks <= residuals / 10;
    }

    /** What was found, naming the worst residual. */
    public String message() {
      String worst = "dphi(" + (float) worstResidual + ") = " + analytic
          + ", central differences of phi give " + numeric + ": relative error "
          + String.format("%.3g", relativeError) + " (tolerance " + TOLERANCE + ")";
      String skipped = kinks + " of " + residuals + " residuals had a kink within the step";
      if (relativeError > TOLERANCE) {
        return "dphi is not the derivative of phi: " + worst + "; " + skipped;
      }
      if (kinks > residuals / 10) {
        return skipped + ", too many for the check to mean anything; worst elsewhere: " + worst;
      }
      return "dphi matches phi; worst at " + worst + "; " + skipped + " (skipped)";
    }

    /** This result if it passed; else throws {@link AssertionError} with {@link #message}. */
    public Result orThrow() {
      if (!passed()) {
        throw new AssertionError(message());
      }
      return this;
    }
  }

  /** The residuals -6, -5.99, ..., 6: kinks at round numbers get points a step away. */
  public static double[] grid() {
    double[] r = new double[1201];
    for (int i = 0; i < r.length; i++) {
      r[i] = -6 + i / 100.0;
    }
    return r;
  }

  /** Checks {@code dphi} against {@code phi} on {@link #grid()}. */
  public static Result check(FloatFunction phi, FloatFunction dphi) {
    return check(phi, dphi, grid());
  }

  /** Checks {@code dphi} against {@code phi} at each residual (rounded to float). */
  public static Result check(FloatFunction phi, FloatFunction dphi, double[] residuals) {
    double worst = Double.NaN;
    double worstAnalytic = Double.NaN;
    double worstNumeric = Double.NaN;
    double worstError = -1;
    int kinks = 0;
    for (double residual : residuals) {
      float r = (float) residual;
      double h = STEP * Math.max(1, Math.abs(r));
      double[] full = differences(phi, r, h);
      double[] halfStep = differences(phi, r, h / 2);
      double half = halfStep[0];
      double allowed = TOLERANCE * Math.max(1, Math.abs(half));
      if (Math.abs(full[0] - half) > allowed || Math.abs(full[1] - 2 * halfStep[1]) > allowed) {
        kinks++;
        continue;
      }
      double analytic = dphi.apply(r);
      double error = Math.abs(analytic - half) / Math.max(1, Math.abs(half));
      // A NaN (a wrong derivative at a point where phi is smooth) is the worst error of all.
      if (Double.isNaN(error) || error > worstError) {
        worst = r;
        worstAnalytic = analytic;
        worstNumeric = half;
        worstError = Double.isNaN(error) ? Double.POSITIVE_INFINITY : error;
      }
    }
    return new Result(worst, worstAnalytic, worstNumeric, Math.max(worstError, 0), kinks,
        residuals.length);
  }

  /**
   * {central difference, forward minus backward difference} over the float residuals nearest
   * {@code r +- h}, in double.
   */
  private static double[] differences(FloatFunction phi, float r, double h) {
    float up = (float) (r + h);
    float down = (float) (r - h);
    double at = phi.apply(r);
    double above = phi.apply(up);
    double below = phi.apply(down);
    return new double[] {
      (above - below) / ((double) up - down), (above - at) / (up - r) - (at - below) / (r - down)
    };
  }
}
