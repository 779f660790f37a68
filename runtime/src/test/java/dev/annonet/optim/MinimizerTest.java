package dev.annonet.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Tests {@link Minimizer}: recorded trajectory, stopping rules, schedule use, reset per run. */
class MinimizerTest {

  private static final Objective SQUARE =
      TestObjectives.quadratic(new float[] {2}, new float[] {0}); // f = x^2, grad 2x

  @Test
  void recordsStartAndEveryStep() {
    // GD with lr 0.25 on x^2 halves x each step: 1, 0.5, 0.25, 0.125.
    Minimizer.Trajectory t =
        Minimizer.of(GradientDescent.defaults().lr(0.25f)).maxSteps(3).run(SQUARE,
            new float[] {1});
    assertEquals(3, t.steps());
    assertEquals(Minimizer.Stop.MAX_STEPS, t.stop());
    float[] xs = new float[4];
    for (int k = 0; k < 4; k++) {
      xs[k] = t.points()[k][0];
    }
    assertArrayEquals(new float[] {1, 0.5f, 0.25f, 0.125f}, xs);
    assertArrayEquals(new double[] {1, 0.25, 0.0625, 0.015625}, t.values());
    assertArrayEquals(new double[] {2, 1, 0.5, 0.25}, t.gradientNorms());
  }

  @Test
  void stopsWhenTheGradientIsSmall() {
    // Gradient norms 2, 1, 0.5, 0.25, ...: below 0.3 first at step 3.
    Minimizer.Trajectory t = Minimizer.of(GradientDescent.defaults().lr(0.25f)).tolerance(0.3)
        .run(SQUARE, new float[] {1});
    assertEquals(Minimizer.Stop.CONVERGED, t.stop());
    assertEquals(3, t.steps());
    assertEquals(0.25, t.finalGradientNorm());
  }

  @Test
  void stopsWhenTheRunDiverges() {
    // lr 10 multiplies x by -19 per step; float overflows to infinity after about 30 steps.
    Minimizer.Trajectory t = Minimizer.of(GradientDescent.defaults().lr(10f)).maxSteps(1000)
        .run(SQUARE, new float[] {1});
    assertEquals(Minimizer.Stop.NOT_FINITE, t.stop());
    assertEquals(-19f, t.points()[1][0]);
  }

  @Test
  void passesTheStepNumberToTheSchedule() {
    // inverseTime with a = 0.25: x1 = 1 - 0.25 * 2 = 0.5, x2 = 0.5 - 0.125 * 1 = 0.375.
    Minimizer.Trajectory t = Minimizer.of(GradientDescent.defaults().lr(0.25f))
        .schedule(Schedule.inverseTime()).maxSteps(2).run(SQUARE, new float[] {1});
    assertEquals(0.375f, t.last()[0]);
  }

  @Test
  void resetsTheOptimizerForEachRunAndKeepsTheStart() {
    Minimizer m = Minimizer.of(Adam.defaults().lr(0.1f)).maxSteps(20);
    float[] start = {3};
    Minimizer.Trajectory first = m.run(SQUARE, start);
    Minimizer.Trajectory second = m.run(SQUARE, start);
    assertArrayEquals(new float[] {3}, start);
    assertArrayEquals(first.values(), second.values());
    assertEquals(20, m.optimizer().steps());
  }

  @Test
  void rejectsAStartOfTheWrongDimension() {
    assertThrows(IllegalArgumentException.class,
        () -> Minimizer.of(Sgd.defaults()).run(SQUARE, new float[2]));
  }
}
