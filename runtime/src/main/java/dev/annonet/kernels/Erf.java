package dev.annonet.kernels;

/**
 * The error function and the Gaussian functions GELU is made of, accurate to float precision
 * (a relative error below 1.2e-7, about one float ulp), computed in double.
 *
 * <p>erfc is the Chebyshev fit of Numerical Recipes (Press et al., 2nd ed., section 6.2,
 * {@code erfcc}), whose relative error is below 1.2e-7 for every x; erf near 0, where {@code 1 -
 * erfc} would cancel, is its Taylor series. GELU is written with erfc on whichever side keeps it
 * free of cancellation, so its far negative tail (tiny values) is as accurate as the rest.
 *
 * <p>{@link Activation#GELU} computes GELU with {@link FloatGelu}, the same fit over arrays on
 * the Vector API; the functions here are its reference.
 */
final class Erf {
  /** {@code sqrt(2 / pi)}, the tanh approximation's scale. */
  static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
  /** The tanh approximation's cubic coefficient. */
  static final double GELU_TANH_CUBIC = 0.044715;

  private static final double SQRT_HALF = Math.sqrt(0.5);
  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
  private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

  private Erf() {}

  /** {@code erfc(x) = 1 - erf(x)}, relative error below 1.2e-7. */
  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196
        + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398
        + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }

  /** {@code erf(x)}, relative error below 1.2e-7. */
  static double erf(double x) {
    double z = Math.abs(x);
    if (z < 0.5) {
      // erf(x) = 2/sqrt(pi) sum_n (-1)^n x^(2n+1) / (n! (2n+1)); 8 terms leave < 1e-10.
      double x2 = x * x;
      double term = x;
      double sum = x;
      for (int n = 1; n < 8; n++) {
        term *= -x2 / n;
        sum += term / (2 * n + 1);
      }
      return TWO_OVER_SQRT_PI * sum;
    }
    double e = 1 - erfc(z);
    return x >= 0 ? e : -e;
  }

  /** {@code x Phi(x)}, exact GELU: erfc of a positive argument on both sides. */
  static double gelu(double x) {
    double half = 0.5 * erfc(Math.abs(x) * SQRT_HALF);
    // Phi(x) = 1 - erfc(x/sqrt2)/2 for x >= 0, erfc(-x/sqrt2)/2 below.
    return x >= 0 ? x * (1 - half) : x * half;
  }

  /** {@code Phi(x) + x phi(x)}, the derivative of exact GELU. */
  static double geluDerivative(double x) {
    double half = 0.5 * erfc(Math.abs(x) * SQRT_HALF);
    double cdf = x >= 0 ? 1 - half : half;
    return cdf + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  }

  /** {@code sqrt(2/pi) (x + 0.044715 x^3)}, the argument of the tanh approximation. */
  static double geluTanhArgument(double x) {
    return SQRT_2_OVER_PI * (x + GELU_TANH_CUBIC * x * x * x);
  }
}
