package dev.annonet.kernels;

/**
 * Exact GELU and its derivative over floats, for {@link Activation#GELU}: {@link Erf}'s
 * functions in double, rounded once to float, written from fma, multiply, add, divide and bit
 * moves only (an exp of their own instead of {@link Math#exp}), so that {@link VectorGelu}'s
 * lanes give the same bits, the compiled code the interpreter's, and a per-element {@code apply}
 * or {@code derivative} the array methods' bits.
 *
 * <p>Double, not float, inside: GELU's error budget is taken by the erfc fit (1.2e-7 relative)
 * and the final rounding (up to 6e-8), and the five or six float roundings of a float version
 * (the exp, {@code t}, the products) reached 4e-7 relative, beyond the 3e-7 that GeluTest allows
 * against PyTorch's float64 values; in double they cost nothing at float precision.
 *
 * <p>erfc is {@link Erf#erfc}'s Numerical Recipes fit, {@code erfc(z) = t exp(-z^2 + P(t))} with
 * {@code z = |x| / sqrt 2} and {@code t = 1 / (1 + z/2)}, on the side that keeps it free of
 * cancellation. Both functions are within half a float ulp (2^-24 relative, and 1e-11 more) of
 * Erf's, and 1e-11 absolute where the derivative crosses 0 (FloatGeluTest).
 */
final class FloatGelu {

  static final double SQRT_HALF = Math.sqrt(0.5);
  static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
  /**
   * |x| is clamped here, and erfc and phi taken as 0 from here on (erfc(16 / sqrt 2) / 2 is
   * 6e-58, phi(16) 7e-57, both 0 in float): the exponentials stay normal doubles, and GELU at
   * -Infinity is {@code -Infinity * 0}, NaN, as in {@link Erf} and in PyTorch.
   */
  static final double CLAMP = 16;
  // Erf.erfc's coefficients, P(t) = C0 + t (C1 + t (C2 + ...)).
  static final double C0 = -1.26551223;
  static final double C1 = 1.00002368;
  static final double C2 = 0.37409196;
  static final double C3 = 0.09678418;
  static final double C4 = -0.18628806;
  static final double C5 = 0.27886807;
  static final double C6 = -1.13520398;
  static final double C7 = 1.48851587;
  static final double C8 = -0.82215223;
  static final double C9 = 0.17087277;

  // exp for arguments in [-130, 1] (NaN stays NaN), Cephes' reduction: n = round(x log2 e),
  // r = x - n ln 2 in [-ln2/2, ln2/2], e^x = 2^n e^r, e^r by its Taylor polynomial of degree 9:
  // within 7e-12 relative, the next term, 4 decimal digits below what a float result can show.
  static final double LOG2E = 1.4426950408889634;
  /** 1.5 * 2^52: adding it rounds a double of magnitude below 2^51 to an integer. */
  static final double ROUND = 6755399441055744.0;
  static final long ROUND_BITS = 0x4338000000000000L;
  /** ln 2 in two parts (Cephes), the first exact in few bits, so n * LN2_HI is exact. */
  static final double LN2_HI = 6.93145751953125E-1;
  static final double LN2_LO = 1.42860682030941723212E-6;
  static final double E9 = 1.0 / 362880;
  static final double E8 = 1.0 / 40320;
  static final double E7 = 1.0 / 5040;
  static final double E6 = 1.0 / 720;
  static final double E5 = 1.0 / 120;
  static final double E4 = 1.0 / 24;
  static final double E3 = 1.0 / 6;
  static final double E2 = 0.5;

  private FloatGelu() {}

  /** {@code a[i] = gelu(a[i])} for {@code off <= i < off + len}. */
  static void apply(float[] a, int off, int len, boolean vector) {
    int j = vector ? VectorGelu.apply(a, off, len) : 0;
    for (; j < len; j++) {
      a[off + j] = gelu(a[off + j]);
    }
  }

  /** {@code d[dOff + i] *= geluDerivative(x[xOff + i])} for {@code i < len}. */
  static void multiplyByDerivativeAt(float[] d, int dOff, float[] x, int xOff, int len,
      boolean vector) {
    int j = vector ? VectorGelu.multiplyByDerivativeAt(d, dOff, x, xOff, len) : 0;
    for (; j < len; j++) {
      d[dOff + j] *= geluDerivative(x[xOff + j]);
    }
  }

  /** {@code x Phi(x)}; NaN and -Infinity give NaN, as {@link Erf#gelu}. */
  static float gelu(float x) {
    double a = Math.min(Math.abs((double) x), CLAMP);
    double c = halfErfc(a);
    return (float) (x * (x >= 0 ? 1 - c : c));
  }

  /** {@code Phi(x) + x phi(x)}; NaN and +-Infinity give NaN, as {@link Erf#geluDerivative}. */
  static float geluDerivative(float x) {
    double a = Math.min(Math.abs((double) x), CLAMP);
    double c = halfErfc(a);
    double phi = a < CLAMP ? INV_SQRT_2PI * exp(-0.5 * a * a) : 0;
    return (float) ((x >= 0 ? 1 - c : c) + x * phi);
  }

  /** {@code erfc(a / sqrt 2) / 2} for {@code 0 <= a < CLAMP}, 0 at CLAMP and for NaN. */
  private static double halfErfc(double a) {
    double t = 1 / (1 + 0.5 * (a * SQRT_HALF));
    double q = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(
        C9, t, C8), t, C7), t, C6), t, C5), t, C4), t, C3), t, C2), t, C1), t, C0);
    // -z^2 = -a^2/2, with -0.5 * a exact, rounded once with P.
    double e = exp(Math.fma(-0.5 * a, a, q));
    return a < CLAMP ? 0.5 * t * e : 0;
  }

  /** {@code e^x} for x in [-130, 1], within 7e-12 relative; NaN stays NaN. */
  static double exp(double x) {
    double t = Math.fma(x, LOG2E, ROUND);
    double n = t - ROUND;
    double r = Math.fma(n, -LN2_LO, Math.fma(n, -LN2_HI, x));
    double y = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(E9, r, E8),
        r, E7), r, E6), r, E5), r, E4), r, E3), r, E2), r, 1);
    y = Math.fma(y, r, 1);
    return y * Double.longBitsToDouble((Double.doubleToRawLongBits(t) - ROUND_BITS + 1023) << 52);
  }
}
