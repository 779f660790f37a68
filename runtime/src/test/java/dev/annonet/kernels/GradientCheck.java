package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Shared test helper: central-difference gradient checks and elementwise comparisons whose
 * failure names the worst index, both values and the maximum difference (llm.c's check_tensor).
 */
final class GradientCheck {

  /** Finite-difference step for float kernels. */
  static final double H = 1e-3;
  /** Relative tolerance of a float gradient check (llm.c uses 2e-2). */
  static final double RTOL = 1e-2;
  /** Absolute floor, for gradients near zero whose numeric value is all rounding noise. */
  static final double ATOL = 1e-3;
  /** Unit roundoff of float, 2^-24. */
  static final double U = 0x1p-24;

  /** A scalar function of arrays the check perturbs in place. */
  interface Scalar {
    double value();
  }

  private GradientCheck() {}

  /**
   * Checks {@code analytic[aOff + t]} against the central difference of {@code f} with respect
   * to {@code in[inOff + t]}, for {@code t < len}.
   */
  static void assertGradient(String what, float[] analytic, int aOff, float[] in, int inOff,
      int len, Scalar f) {
    double[] numeric = new double[len];
    double[] an = new double[len];
    for (int t = 0; t < len; t++) {
      int idx = inOff + t;
      float saved = in[idx];
      float plus = (float) (saved + H);
      float minus = (float) (saved - H);
      in[idx] = plus;
      double fp = f.value();
      in[idx] = minus;
      double fm = f.value();
      in[idx] = saved;
      // Divide by the step actually taken after rounding the perturbed inputs to float.
      numeric[t] = (fp - fm) / ((double) plus - (double) minus);
      an[t] = analytic[aOff + t];
    }
    double[] bound = new double[len];
    for (int t = 0; t < len; t++) {
      bound[t] = ATOL + RTOL * Math.max(Math.abs(an[t]), Math.abs(numeric[t]));
    }
    compare(what, "analytic", an, "numeric", numeric, bound);
  }

  /** Checks {@code |actual[off + t] - expected[t]| <= bound[t]} for every t. */
  static void assertWithin(String what, double[] expected, float[] actual, int off,
      double[] bound) {
    double[] got = new double[expected.length];
    for (int t = 0; t < got.length; t++) {
      got[t] = actual[off + t];
    }
    compare(what, "actual", got, "expected", expected, bound);
  }

  private static void compare(String what, String aName, double[] a, String bName, double[] b,
      double[] bound) {
    int worst = -1;
    double worstRatio = 1;
    double maxDiff = 0;
    for (int t = 0; t < a.length; t++) {
      double diff = Math.abs(a[t] - b[t]);
      // NaN must fail, hence the negated comparison.
      double ratio = !(diff <= bound[t]) ? Double.POSITIVE_INFINITY : diff / bound[t];
      if (Double.isNaN(diff) || diff > maxDiff) {
        maxDiff = diff;
      }
      if (ratio > worstRatio) {
        worstRatio = ratio;
        worst = t;
      }
    }
    if (worst >= 0) {
      fail(String.format("%s: worst index %d: %s %.9g vs %s %.9g (allowed %.3g); "
              + "max difference %.3g over %d values",
          what, worst, aName, a[worst], bName, b[worst], bound[worst], maxDiff, a.length));
    }
  }
}
