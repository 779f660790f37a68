package dev.annonet.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tests {@link Averaging} and {@link IterateAverage} against averages worked out by hand. */
class AveragingTest {

  // f(x, y) = (x^2 + y^2 / 2) / 2: gradient (x, y / 2).
  private static final Objective F =
      TestObjectives.quadratic(new float[] {1, 0.5f}, new float[] {0, 0});
  private static final float[] STEPS = {0.5f, 0.25f, 0.5f};
  private static final Schedule BY_ITERATION = (a, epoch, iteration) -> STEPS[(int) iteration];

  private static Minimizer.Trajectory run(Averaging averaging) {
    return Minimizer.of(GradientDescent.defaults().lr(1)).schedule(BY_ITERATION).maxSteps(3)
        .averageIterates(averaging).run(F, new float[] {8, 4});
  }

  @Test
  void stepWeightedAverageMatchesTheHandComputation() {
    // x: 8 -> 4 -> 3 -> 1.5 and y: 4 -> 3 -> 2.625 -> 1.96875 (steps 0.5, 0.25, 0.5).
    // The average after T steps weighs theta_0 .. theta_(T-1) by the steps taken from them:
    //   T = 1: (8, 4);  T = 2: ((0.5*8 + 0.25*4) / 0.75, (0.5*4 + 0.25*3) / 0.75) = (20/3, 11/3);
    //   T = 3: ((4 + 1 + 1.5) / 1.25, (2 + 0.75 + 1.3125) / 1.25) = (5.2, 3.25).
    Minimizer.Trajectory t = run(Averaging.stepWeighted());
    assertArrayEquals(new float[] {1.5f, 1.96875f}, t.last());
    assertArrayEquals(new float[] {8, 4}, t.averages()[0]);
    assertArrayEquals(new float[] {8, 4}, t.averages()[1]);
    assertArrayEquals(new float[] {(float) (20.0 / 3), (float) (11.0 / 3)}, t.averages()[2]);
    assertArrayEquals(new float[] {5.2f, 3.25f}, t.lastAverage());
    assertArrayEquals(t.lastAverage(), Minimizer.of(GradientDescent.defaults().lr(1))
        .schedule(BY_ITERATION).maxSteps(3).averageIterates().run(F, new float[] {8, 4})
        .lastAverage(), "averageIterates() is the step-weighted average");
  }

  @Test
  void uniformAverageFromAStartStepMatchesTheHandComputation() {
    // Updates 1 and 2 start from (4, 3) and (3, 2.625): their mean is (3.5, 2.8125). After one
    // step nothing is averaged yet and the average stands at the current point.
    Minimizer.Trajectory t = run(Averaging.uniformFrom(1));
    assertArrayEquals(new float[] {4, 3}, t.averages()[1]);
    assertArrayEquals(new float[] {4, 3}, t.averages()[2]);
    assertArrayEquals(new float[] {3.5f, 2.8125f}, t.lastAverage());
  }

  @Test
  void runningUpdateKeepsTheWeightedMeanInDouble() {
    IterateAverage average = new IterateAverage(Averaging.stepWeighted(), 1);
    assertTrue(average.isEmpty());
    float[] out = {7};
    average.copyTo(out);
    assertEquals(7, out[0], "an empty average leaves the point as it is");
    average.add(new float[] {8}, 0.5f, 0);
    average.add(new float[] {4}, 0.25f, 1);
    average.add(new float[] {3}, 0.5f, 2);
    assertEquals(1.25, average.weight());
    assertEquals(5.2, average.mean()[0], 1e-15);
    // A zero step after positive ones adds nothing (weight 0), as the formula says.
    average.add(new float[] {1000}, 0f, 3);
    assertEquals(5.2, average.mean()[0], 1e-15);
    average.reset();
    assertTrue(average.isEmpty());
    assertEquals(0, average.mean()[0]);
  }

  @Test
  void withoutAveragingTheTrajectoryHasNoAverages() {
    Minimizer.Trajectory t = Minimizer.of(GradientDescent.defaults().lr(0.5f)).maxSteps(2)
        .run(F, new float[] {1, 1});
    assertNull(t.averages());
    IllegalStateException e = assertThrows(IllegalStateException.class, t::lastAverage);
    assertEquals("this run kept no average: call Minimizer.averageIterates() before run",
        e.getMessage());
  }

  @Test
  void badSettingsAndStepsAreRefusedNamingTheFix() {
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> Averaging.uniformFrom(-3));
    assertEquals("Averaging.uniformFrom: start = -3 is negative; give the update (counted from"
        + " 0) whose starting point is the first averaged, e.g. uniformFrom(0) to average every"
        + " iterate", negative.getMessage());

    Schedule zeroFirst = (a, epoch, iteration) -> iteration == 0 ? 0 : a;
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> Minimizer.of(GradientDescent.defaults().lr(0.1f)).schedule(zeroFirst).maxSteps(2)
            .averageIterates().run(F, new float[] {1, 1}));
    assertEquals("step-weighted iterate averaging: update 0 has step size 0 and no earlier"
        + " update had a positive one, so the average sum(alpha_j theta_j) / sum(alpha_j) would"
        + " be 0/0: start the schedule above 0, or average uniformly with"
        + " Averaging.uniformFrom(1)", zero.getMessage());
    // Uniform weights do not depend on the step: the same schedule averages fine.
    Minimizer.of(GradientDescent.defaults().lr(0.1f)).schedule(zeroFirst).maxSteps(2)
        .averageIterates(Averaging.uniformFrom(0)).run(F, new float[] {1, 1});

    IterateAverage average = new IterateAverage(Averaging.uniformFrom(0), 1);
    IllegalArgumentException step = assertThrows(IllegalArgumentException.class,
        () -> average.add(new float[] {1}, -0.1f, 4));
    assertEquals("iterate averaging: update 4 has step size -0.1; a step size is finite and at"
        + " least 0: check the optimizer's lr and the schedule", step.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Minimizer.of(GradientDescent.defaults()).averageIterates(null));
  }

  @Test
  void settingsPrintAndCompareByValue() {
    assertEquals("stepWeighted", Averaging.stepWeighted().toString());
    assertEquals("uniformFrom 100", Averaging.uniformFrom(100).toString());
    assertEquals(Averaging.uniformFrom(5), Averaging.uniformFrom(5));
    assertTrue(!Averaging.uniformFrom(5).equals(Averaging.stepWeighted()));
  }
}
