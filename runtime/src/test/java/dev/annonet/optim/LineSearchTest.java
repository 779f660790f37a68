package dev.annonet.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Tests {@link LineSearch}: hand-computed halving, monotone decrease, giving up cleanly. */
class LineSearchTest {

  @Test
  void halvesUntilStrictDecrease() {
    // f = x^2 at x = 1, grad 2: t = 1 gives x = -1 (f = 1, not < 1); t = 0.5 gives x = 0.
    Objective f = TestObjectives.quadratic(new float[] {2}, new float[] {0});
    LineSearch ls = LineSearch.defaults();
    float[] x = {1};
    float[] g = new float[1];
    double fx = f.valueAndGradient(x, g);
    double fNew = ls.step(x, g, ls.learningRate(), f, fx);
    assertEquals(0f, x[0]);
    assertEquals(0.0, fNew);
    assertEquals(0.5f, ls.lastStepSize());
    assertEquals(2, ls.lastEvaluations());
  }

  @Test
  void factorSetsTheReduction() {
    // With factor 0.25: t = 1 fails (x = -1), t = 0.25 gives x = 0.5, f = 0.25 < 1.
    Objective f = TestObjectives.quadratic(new float[] {2}, new float[] {0});
    LineSearch ls = LineSearch.defaults().factor(0.25);
    float[] x = {1};
    float[] g = new float[1];
    double fx = f.valueAndGradient(x, g);
    assertEquals(0.25, ls.step(x, g, 1f, f, fx));
    assertEquals(0.5f, x[0]);
  }

  @Test
  void armijoConstantRejectsInsufficientDecrease() {
    // f = x^2 at 1, |g|^2 = 4. t = 0.5 lands on 0: 0 < 1 - c * 0.5 * 4 needs c < 0.5. With
    // c = 0.6 it is rejected; t = 0.25 gives x = 0.5, f = 0.25 < 1 - 0.6 * 0.25 * 4 = 0.4.
    Objective f = TestObjectives.quadratic(new float[] {2}, new float[] {0});
    LineSearch ls = LineSearch.defaults().c(0.6);
    float[] x = {1};
    float[] g = new float[1];
    double fx = f.valueAndGradient(x, g);
    ls.step(x, g, 1f, f, fx);
    assertEquals(0.5f, x[0]);
    assertEquals(0.25f, ls.lastStepSize());
  }

  @Test
  void neverIncreasesTheObjective() {
    SplittableRandom random = new SplittableRandom(7);
    for (int trial = 0; trial < 50; trial++) {
      float[] c = new float[4];
      float[] d = new float[4];
      float[] x = new float[4];
      for (int i = 0; i < 4; i++) {
        c[i] = (float) random.nextDouble(0.1, 5);
        d[i] = (float) random.nextDouble(-2, 2);
        x[i] = (float) random.nextDouble(-5, 5);
      }
      // A large first trial (lr = 8) makes the search backtrack on most steps.
      Objective f = TestObjectives.quadSin(c, d, 1.5f);
      Minimizer.Trajectory t = Minimizer.of(LineSearch.defaults().lr(8f)).maxSteps(40).run(f, x);
      for (int k = 1; k < t.values().length; k++) {
        assertTrue(t.values()[k] <= t.values()[k - 1],
            "trial " + trial + ", step " + k + ": f rose from " + t.values()[k - 1] + " to "
                + t.values()[k]);
      }
      assertTrue(t.finalValue() < t.values()[0], "trial " + trial + ": no progress at all");
    }
  }

  @Test
  void leavesThetaUnchangedWhenNoStepDecreases() {
    // A wrong gradient (pointing uphill) makes every trial worse: theta must stay put.
    Objective f = TestObjectives.quadratic(new float[] {1, 1}, new float[] {0, 0});
    LineSearch ls = LineSearch.defaults().maxHalvings(10);
    float[] x = {1, -2};
    float[] uphill = {-1, 2};
    double fx = f.value(x);
    double fNew = ls.step(x, uphill, 1f, f, fx);
    assertArrayEquals(new float[] {1, -2}, x);
    assertEquals(fx, fNew);
    assertEquals(0f, ls.lastStepSize());
    assertEquals(11, ls.lastEvaluations());
  }

  @Test
  void atAMinimumStaysThere() {
    Objective f = TestObjectives.quadratic(new float[] {1}, new float[] {3});
    LineSearch ls = LineSearch.defaults();
    float[] x = {3};
    float[] g = new float[1];
    double fx = f.valueAndGradient(x, g);
    ls.step(x, g, 1f, f, fx);
    assertEquals(3f, x[0]);
  }

  @Test
  void needsTheObjective() {
    LineSearch ls = LineSearch.defaults();
    assertTrue(ls.needsObjective());
    assertThrows(IllegalStateException.class, () -> ls.step(new float[1], new float[1], 1f));
  }
}
