package dev.annonet.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every optimizer reaches the minimum of a convex, badly conditioned quadratic. */
class ConvergenceTest {

  private static final float[] A = {1f, 4f, 0.25f};
  private static final float[] B = {1f, -2f, 0.5f};
  private static final float[] START = {-3f, 3f, 4f};

  static Stream<Arguments> optimizers() {
    // Adaptive methods take steps of about lr whatever the gradient, so they need a decaying
    // schedule to settle; the others converge linearly with a constant step.
    Schedule decay = Schedule.stepDecay(0.5, 300);
    return Stream.of(
        Arguments.of(GradientDescent.defaults().lr(0.2f), Schedule.constant()),
        Arguments.of(LineSearch.defaults(), Schedule.constant()),
        Arguments.of(Sgd.defaults().lr(0.2f), Schedule.constant()),
        Arguments.of(Momentum.lecture(0.9).lr(0.2f), Schedule.constant()),
        Arguments.of(Momentum.heavyBall(0.9).lr(0.02f), Schedule.constant()),
        Arguments.of(Nesterov.defaults().lr(0.02f), Schedule.constant()),
        Arguments.of(AdaGrad.defaults().lr(1f), Schedule.constant()),
        Arguments.of(RmsProp.defaults().lr(0.05f), decay),
        Arguments.of(Adam.defaults().lr(0.1f), decay),
        Arguments.of(AmsGrad.defaults().lr(0.1f), decay),
        // Decoupled decay pulls the fixed point towards 0 (by about 4e-3 here with the default
        // 1e-2), so convergence to B is checked with a small decay; the decay has its own tests.
        Arguments.of(AdamW.defaults().lr(0.1f).weightDecay(1e-4), decay));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void reachesTheMinimum(Optimizer optimizer, Schedule schedule) {
    Objective f = TestObjectives.quadratic(A, B);
    Minimizer.Trajectory t =
        Minimizer.of(optimizer).schedule(schedule).maxSteps(3000).run(f, START);
    float[] x = t.last();
    double distance = 0;
    for (int i = 0; i < x.length; i++) {
      distance = Math.max(distance, Math.abs(x[i] - B[i]));
    }
    assertTrue(distance < 1e-3, optimizer + " ended at distance " + distance + ": " + t);
    assertTrue(t.finalValue() < 1e-6 * t.values()[0], optimizer + ": f = " + t.finalValue());
  }
}
