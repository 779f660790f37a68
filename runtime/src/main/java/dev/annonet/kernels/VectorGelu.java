package dev.annonet.kernels;

import static jdk.incubator.vector.VectorOperators.FMA;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatGelu}'s array methods written with the JDK Vector API, in doubles: the same
 * operations in the same order, so each lane gives the scalar bits. Each method covers the
 * elements up to the last whole vector and returns where the scalar loop takes over.
 *
 * <p>A chunk of floats is widened into this thread's double scratch by a plain loop, rather
 * than by a float species of half the preferred width: a second float species (a second class
 * behind FloatVector's shared code) left the other kernels' Vector API code boxing, megabytes
 * per training step, in the JVMs that ran GELU (GeneratedGradientTest, AllocationTest).
 *
 * <p>No vector crosses a method boundary: erfc's exp and phi's are written out in their loops
 * (as in {@link VectorRecurrent}), and the derivative's two exponentials are in two loops of
 * two methods. In one method with helpers, C2 reached its node budget for inlining
 * (NodeCountInliningCutoff), left the exp helper a call, and boxed every vector crossing it.
 *
 * <p>Loaded only when {@link Kernels#vectorApiAvailable()} said yes, like {@link VectorGemm}.
 */
final class VectorGelu {

  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final int L = D.length();
  /** Elements per chunk, a whole number of vectors. */
  private static final int CHUNK = 512;
  /** The chunk's x, and its results. */
  private static final ThreadLocal<double[][]> SCRATCH =
      ThreadLocal.withInitial(() -> new double[2][CHUNK]);

  private VectorGelu() {}

  /** {@link FloatGelu#apply} up to the last whole vector; returns where it stopped. */
  static int apply(float[] a, int off, int len) {
    int end = len - len % L;
    double[][] scratch = SCRATCH.get();
    double[] x = scratch[0];
    double[] y = scratch[1];
    for (int from = 0; from < end; from += CHUNK) {
      int n = Math.min(CHUNK, end - from);
      for (int i = 0; i < n; i++) {
        x[i] = a[off + from + i];
      }
      erfcTerms(x, y, n, false);
      for (int i = 0; i < n; i++) {
        a[off + from + i] = (float) y[i];
      }
    }
    return end;
  }

  /** {@link FloatGelu#multiplyByDerivativeAt}, likewise. */
  static int multiplyByDerivativeAt(float[] d, int dOff, float[] xs, int xOff, int len) {
    int end = len - len % L;
    double[][] scratch = SCRATCH.get();
    double[] x = scratch[0];
    double[] y = scratch[1];
    for (int from = 0; from < end; from += CHUNK) {
      int n = Math.min(CHUNK, end - from);
      for (int i = 0; i < n; i++) {
        x[i] = xs[xOff + from + i];
      }
      xPhi(x, y, n);
      erfcTerms(x, y, n, true);
      for (int i = 0; i < n; i++) {
        d[dOff + from + i] *= (float) y[i];
      }
    }
    return end;
  }

  /** {@code y[i] = x phi(x)}, 0 from |x| = CLAMP on, for {@code x = x[i]}, {@code i < n}. */
  private static void xPhi(double[] xs, double[] y, int n) {
    DoubleVector minusLn2Hi = DoubleVector.broadcast(D, -FloatGelu.LN2_HI);
    DoubleVector minusLn2Lo = DoubleVector.broadcast(D, -FloatGelu.LN2_LO);
    DoubleVector zero = DoubleVector.zero(D);
    for (int j = 0; j < n; j += L) {
      DoubleVector x = DoubleVector.fromArray(D, xs, j);
      DoubleVector a = x.abs().min(FloatGelu.CLAMP);
      // FloatGelu.exp(-0.5 * a * a).
      DoubleVector v = a.mul(-0.5).mul(a);
      DoubleVector t = v.fma(FloatGelu.LOG2E, FloatGelu.ROUND);
      DoubleVector k = t.sub(FloatGelu.ROUND);
      DoubleVector r = k.fma(minusLn2Lo, k.fma(minusLn2Hi, v));
      DoubleVector e = DoubleVector.broadcast(D, FloatGelu.E9).lanewise(FMA, r, FloatGelu.E8)
          .lanewise(FMA, r, FloatGelu.E7).lanewise(FMA, r, FloatGelu.E6)
          .lanewise(FMA, r, FloatGelu.E5).lanewise(FMA, r, FloatGelu.E4)
          .lanewise(FMA, r, FloatGelu.E3).lanewise(FMA, r, FloatGelu.E2)
          .lanewise(FMA, r, 1).lanewise(FMA, r, 1).mul(t.reinterpretAsLongs()
          .sub(FloatGelu.ROUND_BITS - 1023).lanewise(VectorOperators.LSHL, 52)
          .reinterpretAsDoubles());
      x.mul(zero.blend(e.mul(FloatGelu.INV_SQRT_2PI), a.lt(FloatGelu.CLAMP))).intoArray(y, j);
    }
  }

  /**
   * With {@code c = erfc(|x| / sqrt 2) / 2} and {@code cdf = x >= 0 ? 1 - c : c} for
   * {@code x = x[i]}, {@code i < n}: {@code y[i] = x * cdf} (GELU), or with derivative
   * {@code y[i] = cdf + y[i]} (y holding {@code x phi(x)}).
   */
  private static void erfcTerms(double[] xs, double[] y, int n, boolean derivative) {
    DoubleVector minusLn2Hi = DoubleVector.broadcast(D, -FloatGelu.LN2_HI);
    DoubleVector minusLn2Lo = DoubleVector.broadcast(D, -FloatGelu.LN2_LO);
    DoubleVector one = DoubleVector.broadcast(D, 1);
    DoubleVector zero = DoubleVector.zero(D);
    for (int j = 0; j < n; j += L) {
      DoubleVector x = DoubleVector.fromArray(D, xs, j);
      DoubleVector a = x.abs().min(FloatGelu.CLAMP);
      // FloatGelu.halfErfc(a), its exp written out.
      DoubleVector t = one.div(a.mul(FloatGelu.SQRT_HALF).mul(0.5).add(one));
      DoubleVector q = DoubleVector.broadcast(D, FloatGelu.C9).lanewise(FMA, t, FloatGelu.C8)
          .lanewise(FMA, t, FloatGelu.C7).lanewise(FMA, t, FloatGelu.C6)
          .lanewise(FMA, t, FloatGelu.C5).lanewise(FMA, t, FloatGelu.C4)
          .lanewise(FMA, t, FloatGelu.C3).lanewise(FMA, t, FloatGelu.C2)
          .lanewise(FMA, t, FloatGelu.C1).lanewise(FMA, t, FloatGelu.C0);
      DoubleVector v = a.mul(-0.5).fma(a, q);
      DoubleVector u = v.fma(FloatGelu.LOG2E, FloatGelu.ROUND);
      DoubleVector k = u.sub(FloatGelu.ROUND);
      DoubleVector r = k.fma(minusLn2Lo, k.fma(minusLn2Hi, v));
      DoubleVector e = DoubleVector.broadcast(D, FloatGelu.E9).lanewise(FMA, r, FloatGelu.E8)
          .lanewise(FMA, r, FloatGelu.E7).lanewise(FMA, r, FloatGelu.E6)
          .lanewise(FMA, r, FloatGelu.E5).lanewise(FMA, r, FloatGelu.E4)
          .lanewise(FMA, r, FloatGelu.E3).lanewise(FMA, r, FloatGelu.E2)
          .lanewise(FMA, r, 1).lanewise(FMA, r, 1).mul(u.reinterpretAsLongs()
          .sub(FloatGelu.ROUND_BITS - 1023).lanewise(VectorOperators.LSHL, 52)
          .reinterpretAsDoubles());
      DoubleVector c = zero.blend(t.mul(0.5).mul(e), a.lt(FloatGelu.CLAMP));
      VectorMask<Double> nonNegative = x.compare(VectorOperators.GE, 0);
      DoubleVector cdf = c.blend(one.sub(c), nonNegative);
      (derivative ? cdf.add(DoubleVector.fromArray(D, y, j)) : x.mul(cdf)).intoArray(y, j);
    }
  }
}
