package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Checks each activation's value and its derivative-from-output by central differences. */
class ActivationTest {

  private static final float ALPHA = 0.1f;

  @ParameterizedTest
  @EnumSource(Activation.class)
  void derivativeFromOutputMatchesCentralDifference(Activation act) {
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
      analytic[i] = act.derivativeFromOutput(act.apply(x[i], ALPHA), ALPHA);
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
      assertEquals(expected, act.apply(x[i], ALPHA), 2 * Math.ulp(expected), "apply " + x[i]);
      float inPlace = i >= 3 && i < 293 ? act.apply(x[i], ALPHA) : x[i];
      assertEquals(inPlace, y[i], 0f, "applyInPlace at " + i);
    }
  }
}
