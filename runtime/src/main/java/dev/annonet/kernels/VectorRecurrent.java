package dev.annonet.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The gate functions of {@link Lstm} and {@link Gru} over arrays, written with the JDK Vector
 * API: the same operations in the same order as {@link Recurrent}'s scalar exp, sigmoid and
 * tanh, so each lane gives the scalar bits. Each method covers the elements up to the last
 * whole vector and returns where the scalar loop takes over.
 *
 * <p>Every loop keeps its vectors to itself: exp is written out in one loop that stores its
 * results, and sigmoid and tanh finish from the stored values in a second loop. A vector
 * passed to a method that C2 does not inline is boxed on the heap, and a loop calling a vector
 * exp five times (an LSTM cell in one pass) left calls out of line: slower than scalar code and
 * megabytes allocated per call.
 *
 * <p>Loaded only when {@link Kernels#vectorApiAvailable()} said yes, like {@link VectorGemm}.
 */
final class VectorRecurrent {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorRecurrent() {}

  /** {@link Recurrent#add} up to the last whole vector; returns where it stopped. */
  static int add(float[] a, int aOff, float[] b, int bOff, int len) {
    int end = len - len % L;
    for (int j = 0; j < end; j += L) {
      FloatVector.fromArray(S, a, aOff + j).add(FloatVector.fromArray(S, b, bOff + j))
          .intoArray(a, aOff + j);
    }
    return end;
  }

  /** {@link Recurrent#sigmoid(float[], int, int, float[], int, boolean)}, likewise. */
  static int sigmoid(float[] a, int aOff, int len, float[] scratch, int sOff) {
    int end = len - len % L;
    exp(a, aOff, -1f, false, scratch, sOff, end);
    FloatVector one = FloatVector.broadcast(S, 1f);
    for (int j = 0; j < end; j += L) {
      one.div(FloatVector.fromArray(S, scratch, sOff + j).add(one)).intoArray(a, aOff + j);
    }
    return end;
  }

  /** {@link Recurrent#tanh(float[], int, float[], int, int, float[], int, boolean)}, likewise. */
  static int tanh(float[] x, int xOff, float[] y, int yOff, int len, float[] scratch,
      int sOff) {
    int end = len - len % L;
    exp(x, xOff, 2f, true, scratch, sOff, end);
    FloatVector one = FloatVector.broadcast(S, 1f);
    FloatVector two = FloatVector.broadcast(S, 2f);
    FloatVector t3 = FloatVector.broadcast(S, Recurrent.T3);
    FloatVector t2 = FloatVector.broadcast(S, Recurrent.T2);
    FloatVector t1 = FloatVector.broadcast(S, Recurrent.T1);
    FloatVector t0 = FloatVector.broadcast(S, Recurrent.T0);
    FloatVector t4 = FloatVector.broadcast(S, Recurrent.T4);
    FloatVector small = FloatVector.broadcast(S, Recurrent.TANH_SMALL);
    IntVector sign = one.reinterpretAsInts().broadcast(0x80000000);
    for (int j = 0; j < end; j += L) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + j);
      FloatVector e = FloatVector.fromArray(S, scratch, sOff + j);
      // 1 - 2 / (e^2|x| + 1) >= 0, given x's sign bit as Math.copySign does.
      IntVector large = one.sub(two.div(e.add(one))).reinterpretAsInts()
          .or(v.reinterpretAsInts().and(sign));
      FloatVector z = v.mul(v);
      FloatVector q = t4.fma(z, t3).fma(z, t2).fma(z, t1).fma(z, t0);
      q.mul(z).fma(v, v)
          .blend(large.reinterpretAsFloats(), v.abs().compare(VectorOperators.GE, small))
          .intoArray(y, yOff + j);
    }
    return end;
  }

  /** {@code e[i] = Recurrent.exp(scale * x[i])}, or of {@code scale * |x[i]|}, for i < end. */
  private static void exp(float[] x, int xOff, float scale, boolean abs, float[] e, int eOff,
      int end) {
    FloatVector minusLn2Hi = FloatVector.broadcast(S, -Recurrent.LN2_HI);
    FloatVector minusLn2Lo = FloatVector.broadcast(S, -Recurrent.LN2_LO);
    FloatVector e4 = FloatVector.broadcast(S, Recurrent.E4);
    FloatVector e3 = FloatVector.broadcast(S, Recurrent.E3);
    FloatVector e2 = FloatVector.broadcast(S, Recurrent.E2);
    FloatVector e1 = FloatVector.broadcast(S, Recurrent.E1);
    FloatVector e0 = FloatVector.broadcast(S, Recurrent.E0);
    FloatVector e5 = FloatVector.broadcast(S, Recurrent.E5);
    // Every scalar operand broadcast once, before the loop: the scalar-operand forms (mul(float),
    // min(float), fma(float, float), IntVector.sub(int), add(float)) were left out of line by C2
    // after some orders of tests in one JVM, and then boxed vectors on every call.
    FloatVector scaleV = FloatVector.broadcast(S, scale);
    FloatVector max = FloatVector.broadcast(S, Recurrent.EXP_MAX);
    FloatVector min = FloatVector.broadcast(S, Recurrent.EXP_MIN);
    FloatVector log2e = FloatVector.broadcast(S, Recurrent.LOG2E);
    FloatVector round = FloatVector.broadcast(S, Recurrent.ROUND);
    FloatVector one = FloatVector.broadcast(S, 1f);
    IntVector bias = one.reinterpretAsInts().broadcast(Recurrent.ROUND_BITS - 127);
    for (int j = 0; j < end; j += L) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + j);
      if (abs) {
        v = v.abs();
      }
      v = v.mul(scaleV).min(max).max(min);
      FloatVector t = v.fma(log2e, round);
      FloatVector n = t.sub(round);
      FloatVector r = n.fma(minusLn2Lo, n.fma(minusLn2Hi, v));
      FloatVector y = e5.fma(r, e4).fma(r, e3).fma(r, e2).fma(r, e1).fma(r, e0);
      FloatVector scale2n = t.reinterpretAsInts().sub(bias)
          .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
      y.fma(r.mul(r), r).add(one).mul(scale2n).intoArray(e, eOff + j);
    }
  }
}
