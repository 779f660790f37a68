package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The gate nonlinearities of the LSTM and GRU kernels: Recurrent's float exp within 2 ulp of
 * the double-precision function, sigmoid and tanh (an exp, an add and a divide more) within 3
 * (plus 2^-126 absolute: sigmoid stops at about 4.5e-39 below -87.3, where the exact value is
 * subnormal); NaN kept, the limits reached, and VectorRecurrent's lanes giving the scalar bits.
 */
class LstmGruGateFunctionsTest {

  /** Arguments over the range gates see, and past it on both sides. */
  private static float[] arguments() {
    SplittableRandom rnd = new SplittableRandom(14);
    float[] x = new float[200_000];
    for (int i = 0; i < x.length; i++) {
      double scale = i % 4 == 0 ? 1e-3 : i % 4 == 1 ? 1 : i % 4 == 2 ? 10 : 100;
      x[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
    }
    x[0] = 0f;
    x[1] = -0f;
    x[2] = Recurrent.TANH_SMALL;
    x[3] = -Recurrent.TANH_SMALL;
    x[4] = Float.MIN_VALUE;
    return x;
  }

  @Test
  void withinAFewUlpOfDouble() {
    for (float x : arguments()) {
      if (x <= Recurrent.EXP_MAX && x >= Recurrent.EXP_MIN) {
        within("exp", 2, x, Recurrent.exp(x), Math.exp(x));
      }
      within("sigmoid", 3, x, Recurrent.sigmoid(x), 1 / (1 + Math.exp(-x)));
      within("tanh", 3, x, Recurrent.tanh(x), Math.tanh(x));
    }
  }

  private static void within(String what, int ulps, float x, float actual, double expected) {
    double allowed = ulps * Math.ulp((float) expected) + Float.MIN_NORMAL;
    assertTrue(Math.abs(actual - expected) <= allowed,
        () -> what + "(" + x + ") = " + actual + ", exact " + expected);
  }

  @Test
  void limitsAndNaN() {
    assertEquals(1f, Recurrent.sigmoid(200f));
    assertEquals(0f, Recurrent.sigmoid(-200f), 1e-38f);
    assertEquals(1f, Recurrent.tanh(200f));
    assertEquals(-1f, Recurrent.tanh(-200f));
    assertEquals(0.5f, Recurrent.sigmoid(0f));
    assertTrue(Float.isNaN(Recurrent.exp(Float.NaN)));
    assertTrue(Float.isNaN(Recurrent.sigmoid(Float.NaN)));
    assertTrue(Float.isNaN(Recurrent.tanh(Float.NaN)));
  }

  @Test
  void vectorLanesGiveTheScalarBits() {
    assumeTrue(Kernels.vectorModulePresent());
    float[] x = arguments();
    float[] scratch = new float[x.length];
    float[] sig = x.clone();
    float[] th = new float[x.length];
    int end = VectorRecurrent.sigmoid(sig, 0, x.length, scratch, 0);
    assertEquals(end, VectorRecurrent.tanh(x, 0, th, 0, x.length, scratch, 0));
    assertTrue(end > x.length - 64);
    for (int i = 0; i < end; i++) {
      assertEquals(Float.floatToRawIntBits(Recurrent.sigmoid(x[i])),
          Float.floatToRawIntBits(sig[i]), "sigmoid(" + x[i] + ")");
      assertEquals(Float.floatToRawIntBits(Recurrent.tanh(x[i])),
          Float.floatToRawIntBits(th[i]), "tanh(" + x[i] + ")");
    }
  }
}
