package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks each activation's value and its derivative by central differences, and that
 * ReLU and LeakyReLU keep NaN on every path (scalar, in place, fused into each GEMM and into
 * the convolutions), and that ReLU's branch-free derivative mask is {@code y > 0f} exactly.
 */
class ActivationTest {

  private static final float ALPHA = 0.1f;

  @ParameterizedTest
  @EnumSource(Activation.class)
  void derivativeMatchesCentralDifference(Activation act) {
    SplittableRandom rnd = new SplittableRandom(7);
    int n = 200;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      // Keep |x| >= 0.01 so the ReLU kink is never inside [x - h, x + h].
      double v = 0.01 + rnd.nextDouble() * 3.99;
      x[i] = (float) (rnd.nextBoolean() ? v : -v);
    }
    float[] analytic = new float[n];
    for (int i = 0; i < n; i++) {
      // From the output where the kernels take it from there; GELU's from x.
      analytic[i] = act.derivativeNeedsInput() ? act.derivative(x[i], ALPHA)
          : act.derivativeFromOutput(act.apply(x[i], ALPHA), ALPHA);
    }
    int[] at = new int[1];
    for (int i = 0; i < n; i++) {
      at[0] = i;
      GradientCheck.assertGradient(act + " at x=" + x[i], analytic, i, x, i, 1,
          () -> act.apply(x[at[0]], ALPHA));
    }
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void applyMatchesDoubleReferenceAndInPlace(Activation act) {
    SplittableRandom rnd = new SplittableRandom(11);
    float[] x = Naive.random(rnd, 301, 30);
    x[0] = 0f;
    x[1] = -0f;
    float[] y = x.clone();
    act.applyInPlace(y, 3, 290, ALPHA);
    for (int i = 0; i < x.length; i++) {
      float expected = (float) Naive.act(act, x[i], ALPHA);
      // GELU's erfc is good to 1.2e-7 relative, up to two ulps before the final rounding.
      float ulps = act.derivativeNeedsInput() ? 3 : 2;
      assertEquals(expected, act.apply(x[i], ALPHA), ulps * Math.ulp(expected), "apply " + x[i]);
      float inPlace = i >= 3 && i < 293 ? act.apply(x[i], ALPHA) : x[i];
      assertEquals(inPlace, y[i], 0f, "applyInPlace at " + i);
    }
  }

  @Test
  void reluFamilyKeepsNanAndReluTurnsNegativeZeroIntoZero() {
    for (Activation act : new Activation[] {Activation.RELU, Activation.LEAKY_RELU}) {
      assertTrue(Float.isNaN(act.apply(Float.NaN, ALPHA)), act + "(NaN)");
      // Long enough for C2's vectorized loop, with NaNs in its body and in its tail.
      float[] x = Naive.random(new SplittableRandom(3), 1003, 2);
      for (int i = 0; i < x.length; i += 97) {
        x[i] = Float.NaN;
      }
      x[1002] = Float.NaN;
      for (int round = 0; round < 200; round++) {
        float[] y = x.clone();
        act.applyInPlace(y, 0, y.length, ALPHA);
        for (int i = 0; i < x.length; i++) {
          if (Float.isNaN(x[i])) {
            assertTrue(Float.isNaN(y[i]), act + " applyInPlace turned NaN at " + i + " into "
                + y[i]);
          } else {
            assertEquals(act.apply(x[i], ALPHA), y[i], 0f, act + " at " + i);
          }
        }
      }
    }
    assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(Activation.RELU.apply(-0f, 0f)));
    float[] z = {-0f};
    Activation.RELU.applyInPlace(z, 0, 1, 0f);
    assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(z[0]));
  }

  /** A NaN in a row of A or in the bias reaches C through a fused ReLU or LeakyReLU. */
  @ParameterizedTest
  @EnumSource(Gemm.Impl.class)
  void fusedReluFamilyEpilogueKeepsNan(Gemm.Impl impl) {
    Assumptions.assumeTrue(impl != Gemm.Impl.VECTOR || Kernels.vectorModulePresent());
    int[][] sizes = {{3, 5, 2}, {7, 40, 9}, {64, 64, 64}, {70, 6, 33}, {130, 130, 17}};
    for (Activation act : new Activation[] {Activation.RELU, Activation.LEAKY_RELU}) {
      for (int[] size : sizes) {
        int m = size[0];
        int n = size[1];
        int k = size[2];
        SplittableRandom rnd = new SplittableRandom(m * 31L + n);
        float[] a = Naive.random(rnd, m * k, 1);
        float[] b = Naive.random(rnd, n * k, 1);
        float[] bias = Naive.random(rnd, n, 1);
        int nanRow = m / 2;
        int nanColumn = n - 1;
        a[nanRow * k + k / 2] = Float.NaN;
        bias[nanColumn] = Float.NaN;
        float[] c = new float[m * n];
        Gemm.multiply(impl, m, n, k, a, 0, false, b, 0, true, c, 0, Gemm.BIAS_ACT, bias, 0,
            act, ALPHA);
        int zeros = 0;
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            float v = c[i * n + j];
            String where = impl + " " + act + " " + m + "x" + n + "x" + k + " C[" + i + "]["
                + j + "] = " + v;
            assertEquals(i == nanRow || j == nanColumn, Float.isNaN(v), where);
            zeros += v == 0f ? 1 : 0;
          }
        }
        if (act == Activation.RELU && m > 3) {
          assertTrue(zeros > 0, "negative sums still become 0");
        }
      }
    }
  }

  /** Dense.forward through Gemm's dispatch, on the Vector API path and on the plain one. */
  @ParameterizedTest(name = "plain={0}")
  @ValueSource(booleans = {false, true})
  void denseWithReluKeepsANanWeight(boolean plain) {
    Kernels.forcePlain(plain);
    try {
      int batch = 32;
      int in = 64;
      int out = 48;
      SplittableRandom rnd = new SplittableRandom(9);
      float[] x = Naive.random(rnd, batch * in, 1);
      float[] p = Naive.random(rnd, out * in + out, 1);
      p[5 * in + 3] = Float.NaN; // a weight of unit 5
      float[] y = new float[batch * out];
      Dense.forward(x, p, 0, out * in, y, batch, in, out, Activation.RELU, 0f);
      for (int b = 0; b < batch; b++) {
        for (int o = 0; o < out; o++) {
          assertEquals(o == 5, Float.isNaN(y[b * out + o]), "sample " + b + ", unit " + o);
        }
      }
    } finally {
      Kernels.forcePlain(false);
    }
  }

  /**
   * Conv2d.forward with ReLU on both paths, for output rows narrower than a vector (8 wide,
   * written a vector at a time) and wider (24): the NaN weight's channel is NaN everywhere.
   */
  @ParameterizedTest(name = "plain={0}")
  @ValueSource(booleans = {false, true})
  void convolutionWithReluKeepsANanWeight(boolean plain) {
    Kernels.forcePlain(plain);
    try {
      for (int size : new int[] {12, 28}) {
        int batch = 3;
        int inC = 2;
        int outC = 5;
        int k = 5;
        int o = size - k + 1;
        SplittableRandom rnd = new SplittableRandom(size);
        float[] x = Naive.random(rnd, batch * inC * size * size, 1);
        float[] p = Naive.random(rnd, outC * inC * k * k + outC, 1);
        p[3 * inC * k * k + 7] = Float.NaN; // a weight of output channel 3
        float[] y = new float[batch * outC * o * o];
        Conv2d.forward(x, p, 0, outC * inC * k * k, y, batch, inC, size, size, outC, k, 1, 0,
            Activation.RELU, 0f);
        for (int i = 0; i < y.length; i++) {
          int channel = i / (o * o) % outC;
          assertEquals(channel == 3, Float.isNaN(y[i]), "size " + size + ", element " + i);
        }
      }
    } finally {
      Kernels.forcePlain(false);
    }
  }

  /** Every float, NaNs, zeros, subnormals and infinities included: mask == (y > 0f ? -1 : 0). */
  @Test
  void positiveMaskIsReluDerivativeForEveryFloat() {
    int bits = Integer.MIN_VALUE;
    do {
      float y = Float.intBitsToFloat(bits);
      int expected = y > 0f ? -1 : 0;
      int mask = Activation.positiveMask(y);
      if (mask != expected) {
        throw new AssertionError("bits 0x" + Integer.toHexString(bits) + ": mask " + mask
            + ", expected " + expected);
      }
      bits++;
    } while (bits != Integer.MIN_VALUE);
  }
}
