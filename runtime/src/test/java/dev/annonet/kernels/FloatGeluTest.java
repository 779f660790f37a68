package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Exact GELU over floats ({@link FloatGelu}) against {@link Erf}'s double functions, at special
 * values, and its Vector API lanes against its scalar code.
 */
class FloatGeluTest {

  /**
   * Half a float ulp relative, 2^-24, and a little: FloatGelu computes in double, within 1e-11
   * relative of Erf's double value (the same erfc fit; its exp's Taylor polynomial stops at 7e-12
   * relative, the rest is double rounding), and rounds once, so the float is the double value
   * rounded, or its neighbour when that lies within 1e-11 of a midpoint.
   */
  private static final double HALF_ULP = 0x1p-24 + 1e-11;
  /**
   * Absolute: the derivative {@code Phi(x) + x phi(x)} crosses 0 near x = -0.75, where what is
   * left is the two computations' difference on terms near 0.23, 1e-11 relative each.
   */
  private static final double CANCELLATION = 1e-11;

  @AfterEach
  void restorePath() {
    Kernels.forcePlain(false);
  }

  @Test
  void withinHalfAnUlpOfTheDoubleFunctionsOnADenseGrid() {
    double worstValue = 0;
    double worstDerivative = 0;
    for (int i = -1_200_000; i <= 1_200_000; i++) {
      float x = i / 100_000f;
      double value = Erf.gelu(x);
      double derivative = Erf.geluDerivative(x);
      float v = FloatGelu.gelu(x);
      float d = FloatGelu.geluDerivative(x);
      assertEquals(value, v, HALF_ULP * Math.abs(value), "GELU at " + x);
      assertEquals(derivative, d, HALF_ULP * Math.abs(derivative) + CANCELLATION,
          "GELU' at " + x);
      if (value != 0) {
        worstValue = Math.max(worstValue, Math.abs(v - value) / Math.abs(value));
      }
      worstDerivative = Math.max(worstDerivative,
          Math.abs(d - derivative) / Math.abs(derivative));
    }
    // Not a fluke of the bound: both come close to it.
    assertTrue(worstValue > 0.9 * 0x1p-24 && worstDerivative > 0.9 * 0x1p-24,
        worstValue + " " + worstDerivative);
  }

  @Test
  void specialValuesAsInDouble() {
    float[] xs = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -1e-40f, 1e-30f, -1e-30f, 15.99f, 16f, 100f,
        Float.MAX_VALUE};
    for (float x : xs) {
      assertSameOrBothNan((float) Erf.gelu(x), FloatGelu.gelu(x), "GELU at " + x);
      assertSameOrBothNan((float) Erf.geluDerivative(x), FloatGelu.geluDerivative(x),
          "GELU' at " + x);
    }
    // GELU(-Infinity) is -Infinity * 0, NaN, as PyTorch's; its derivative at +-Infinity too.
    assertTrue(Float.isNaN(FloatGelu.gelu(Float.NEGATIVE_INFINITY)));
    assertTrue(Float.isNaN(FloatGelu.geluDerivative(Float.POSITIVE_INFINITY)));
    assertEquals(0f, FloatGelu.gelu(-0f), 0f);
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(FloatGelu.gelu(-0f)));
  }

  /**
   * Where GELU leaves the normal floats (x below about -13.1) it fades through the subnormals to
   * -0 as the double value rounded to float does, within an ulp of the subnormals (1.4e-45).
   */
  @Test
  void underflowsThroughTheSubnormalsToNegativeZero() {
    for (int i = 0; i <= 100_000; i++) {
      float x = -12f - i * 8f / 100_000;
      float value = (float) Erf.gelu(x);
      assertEquals(value, FloatGelu.gelu(x), Math.ulp(value), "GELU at " + x);
      float derivative = (float) Erf.geluDerivative(x);
      assertEquals(derivative, FloatGelu.geluDerivative(x), Math.ulp(derivative),
          "GELU' at " + x);
    }
    assertSame(-0f, FloatGelu.gelu(-15f), "GELU at -15");
    assertSame(-0f, FloatGelu.gelu(-1000f), "GELU at -1000");
  }

  @Test
  void vectorLanesGiveTheScalarBits() {
    assumeTrue(Kernels.vectorModulePresent());
    SplittableRandom rnd = new SplittableRandom(14);
    for (int len : new int[] {1, 7, 9, 31, 333, 1001}) {
      float[] x = Naive.random(rnd, len + 2, 8);
      if (len > 20) {
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            -13.5f, -20f, 20f, 1e-40f};
        System.arraycopy(special, 0, x, 5, special.length);
      }
      float[] d = Naive.random(rnd, len + 3, 1);
      float[][] values = new float[2][];
      float[][] grads = new float[2][];
      for (int path = 0; path < 2; path++) {
        Kernels.forcePlain(path == 0);
        values[path] = x.clone();
        Activation.GELU.applyInPlace(values[path], 1, len, 0f);
        grads[path] = d.clone();
        Activation.GELU.multiplyByDerivativeAt(grads[path], 2, x, 1, len, 0f);
      }
      for (int i = 0; i < len; i++) {
        float xi = x[1 + i];
        assertSame(FloatGelu.gelu(xi), values[0][1 + i], "plain GELU at " + xi);
        assertSame(FloatGelu.gelu(xi), values[1][1 + i], "vector GELU at " + xi);
        float g = d[2 + i] * FloatGelu.geluDerivative(xi);
        assertSame(g, grads[0][2 + i], "plain gradient at " + xi);
        assertSame(g, grads[1][2 + i], "vector gradient at " + xi);
      }
      for (int path = 0; path < 2; path++) {
        assertSame(x[0], values[path][0], "before the range");
        assertSame(x[len + 1], values[path][len + 1], "after the range");
        assertSame(d[1], grads[path][1], "before the range");
        assertSame(d[len + 2], grads[path][len + 2], "after the range");
      }
    }
  }

  private static void assertSameOrBothNan(float expected, float actual, String what) {
    if (!(Float.isNaN(expected) && Float.isNaN(actual))) {
      assertSame(expected, actual, what);
    }
  }

  private static void assertSame(float expected, float actual, String what) {
    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
        what + ": expected " + expected + ", got " + actual);
  }
}
