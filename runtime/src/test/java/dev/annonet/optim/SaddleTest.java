package dev.annonet.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Gradient descent on the saddle {@code f(x, y) = x^2 - y^2}. */
class SaddleTest {

  private static final Objective SADDLE = TestObjectives.saddle();

  @Test
  void startedOnTheXAxisConvergesToTheSaddle() {
    // The gradient (2x, -2y) has no y component on y = 0, so GD never leaves the axis; x shrinks
    // by (1 - 2 lr) = 0.8 per step.
    Minimizer.Trajectory t =
        Minimizer.of(GradientDescent.defaults().lr(0.1f)).maxSteps(500).tolerance(1e-6)
            .run(SADDLE, new float[] {1, 0});
    assertEquals(Minimizer.Stop.CONVERGED, t.stop());
    for (float[] p : t.points()) {
      assertEquals(0f, p[1], "left the x-axis");
    }
    assertTrue(Math.abs(t.last()[0]) < 1e-6, "x = " + t.last()[0]);
    assertEquals(Math.pow(0.8, 10), t.points()[10][0], 1e-6);
  }

  @Test
  void startedOffTheAxisEscapesAlongY() {
    // y grows by (1 + 2 lr) = 1.2 per step: from 1e-3 past 1 within 40 steps, while x -> 0.
    Minimizer.Trajectory t = Minimizer.of(GradientDescent.defaults().lr(0.1f)).maxSteps(60)
        .run(SADDLE, new float[] {1, 1e-3f});
    float[] last = t.last();
    assertTrue(Math.abs(last[1]) > 1, "y = " + last[1] + " did not escape");
    assertTrue(Math.abs(last[0]) < 1e-4, "x = " + last[0]);
    assertTrue(t.finalValue() < -1, "f = " + t.finalValue());
    assertEquals(1e-3 * Math.pow(1.2, 20), t.points()[20][1], 1e-7);
  }

  @Test
  void lineSearchAlsoEscapesOffTheAxis() {
    Minimizer.Trajectory t = Minimizer.of(LineSearch.defaults()).maxSteps(30)
        .run(SADDLE, new float[] {1, 1e-3f});
    assertTrue(Math.abs(t.last()[1]) > 1, "y = " + t.last()[1]);
  }
}
