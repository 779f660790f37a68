package dev.annonet.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad settings fail at construction, naming the setting, the value and the valid range. */
class ValidationTest {

  private static void rejects(Executable make, String expectedMessage) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
    assertEquals(expectedMessage, e.getMessage());
  }

  @Test
  void learningRateMustBePositiveAndFinite() {
    rejects(() -> GradientDescent.defaults().lr(0f),
        "GradientDescent: lr = 0.0 is outside the valid range (0, +inf)");
    rejects(() -> Sgd.defaults().lr(-0.1f), "Sgd: lr = -0.1 is outside the valid range (0, +inf)");
    rejects(() -> Adam.defaults().lr(Float.NaN),
        "Adam: lr = NaN is outside the valid range (0, +inf)");
    rejects(() -> AdamW.defaults().lr(Float.POSITIVE_INFINITY),
        "AdamW: lr = Infinity is outside the valid range (0, +inf)");
    rejects(() -> LineSearch.defaults().lr(-1f),
        "LineSearch: lr = -1.0 is outside the valid range (0, +inf)");
  }

  @Test
  void betasMustLieInZeroOne() {
    rejects(() -> Adam.defaults().betas(1.0, 0.999),
        "Adam: betas[0] = 1.0 is outside the valid range [0, 1)");
    rejects(() -> Adam.defaults().betas(0.9, -0.1),
        "Adam: betas[1] = -0.1 is outside the valid range [0, 1)");
    rejects(() -> AmsGrad.defaults().betas(0.9, Double.NaN),
        "Adam: betas[1] = NaN is outside the valid range [0, 1)");
    rejects(() -> AdamW.defaults().betas(1.5, 0.9),
        "AdamW: betas[0] = 1.5 is outside the valid range [0, 1)");
  }

  @Test
  void epsMustBeNonNegative() {
    rejects(() -> Adam.defaults().eps(-1e-8),
        "Adam: eps = -1.0E-8 is outside the valid range [0, +inf)");
    rejects(() -> AdaGrad.defaults().eps(-1),
        "AdaGrad: eps = -1.0 is outside the valid range [0, +inf)");
    rejects(() -> RmsProp.defaults().eps(Double.NaN),
        "RmsProp: eps = NaN is outside the valid range [0, +inf)");
  }

  @Test
  void momentumMustLieInZeroOne() {
    rejects(() -> Momentum.heavyBall(1.0),
        "Momentum: momentum = 1.0 is outside the valid range [0, 1)");
    rejects(() -> Momentum.lecture(-0.5),
        "Momentum: momentum = -0.5 is outside the valid range [0, 1)");
    rejects(() -> Nesterov.defaults().momentum(1.2),
        "Nesterov: momentum = 1.2 is outside the valid range [0, 1)");
    rejects(() -> RmsProp.defaults().momentum(1),
        "RmsProp: momentum = 1.0 is outside the valid range [0, 1)");
    rejects(() -> RmsProp.defaults().alpha(1),
        "RmsProp: alpha = 1.0 is outside the valid range [0, 1)");
    rejects(() -> Momentum.heavyBall(0.9).dampening(1.5),
        "Momentum: dampening = 1.5 is outside the valid range [0, 1]");
  }

  @Test
  void lectureMomentumHasNoDampening() {
    rejects(() -> Momentum.lecture(0.9).dampening(0.5), "Momentum: dampening = 0.5 applies to"
        + " the heavy-ball form only; the lecture form always uses 1 - momentum");
  }

  @Test
  void weightDecayMustBeNonNegative() {
    rejects(() -> Sgd.defaults().weightDecay(-1),
        "Sgd: weightDecay = -1.0 is outside the valid range [0, +inf)");
    rejects(() -> Momentum.heavyBall(0.9).weightDecay(-0.1),
        "Momentum: weightDecay = -0.1 is outside the valid range [0, +inf)");
    rejects(() -> Nesterov.defaults().weightDecay(-0.1),
        "Nesterov: weightDecay = -0.1 is outside the valid range [0, +inf)");
    rejects(() -> AdaGrad.defaults().weightDecay(-0.1),
        "AdaGrad: weightDecay = -0.1 is outside the valid range [0, +inf)");
    rejects(() -> RmsProp.defaults().weightDecay(-0.1),
        "RmsProp: weightDecay = -0.1 is outside the valid range [0, +inf)");
    rejects(() -> Adam.defaults().weightDecay(-0.1),
        "Adam: weightDecay = -0.1 is outside the valid range [0, +inf)");
    rejects(() -> AdamW.defaults().weightDecay(-0.1),
        "AdamW: weightDecay = -0.1 is outside the valid range [0, +inf)");
  }

  @Test
  void lineSearchSettings() {
    rejects(() -> LineSearch.defaults().factor(1),
        "LineSearch: factor = 1.0 is outside the valid range (0, 1)");
    rejects(() -> LineSearch.defaults().factor(0),
        "LineSearch: factor = 0.0 is outside the valid range (0, 1)");
    rejects(() -> LineSearch.defaults().c(1),
        "LineSearch: c = 1.0 is outside the valid range [0, 1)");
    rejects(() -> LineSearch.defaults().maxHalvings(-1),
        "LineSearch: maxHalvings = -1 is outside the valid range [0, 2147483647]");
  }

  @Test
  void mismatchedBuffersAreRejected() {
    Adam adam = Adam.defaults();
    rejects(() -> adam.step(new float[3], new float[2], 0.1f),
        "Adam: theta has 3 entries but grad has 2");
    adam.step(new float[3], new float[3], 0.1f);
    rejects(() -> adam.step(new float[4], new float[4], 0.1f),
        "Adam: theta has 4 entries but the state was sized for 3 on the first step;"
            + " call reset() to start on a new parameter vector");
    adam.reset();
    adam.step(new float[4], new float[4], 0.1f);
    assertEquals(4, adam.state()[0].length);
  }

  @Test
  void everyOptimizerChecksItsStepSize() {
    for (float bad : new float[] {0f, -1e-3f, Float.NaN, Float.NEGATIVE_INFINITY}) {
      rejects(() -> Momentum.heavyBall(0.9).lr(bad),
          "Momentum: lr = " + bad + " is outside the valid range (0, +inf)");
      rejects(() -> Nesterov.defaults().lr(bad),
          "Nesterov: lr = " + bad + " is outside the valid range (0, +inf)");
      rejects(() -> AdaGrad.defaults().lr(bad),
          "AdaGrad: lr = " + bad + " is outside the valid range (0, +inf)");
      rejects(() -> RmsProp.defaults().lr(bad),
          "RmsProp: lr = " + bad + " is outside the valid range (0, +inf)");
      rejects(() -> AmsGrad.defaults().lr(bad),
          "Adam: lr = " + bad + " is outside the valid range (0, +inf)");
    }
  }

  @Test
  void epsMustAlsoBeFinite() {
    rejects(() -> Adam.defaults().eps(Double.POSITIVE_INFINITY),
        "Adam: eps = Infinity is outside the valid range [0, +inf)");
    rejects(() -> AdamW.defaults().eps(-1e-8),
        "AdamW: eps = -1.0E-8 is outside the valid range [0, +inf)");
    rejects(() -> AmsGrad.defaults().eps(-1),
        "Adam: eps = -1.0 is outside the valid range [0, +inf)");
  }

  @Test
  void adaGradDecayAndAccumulatorMustBeNonNegative() {
    rejects(() -> AdaGrad.defaults().lrDecay(-0.01),
        "AdaGrad: lrDecay = -0.01 is outside the valid range [0, +inf)");
    rejects(() -> AdaGrad.defaults().initialAccumulatorValue(-0.1),
        "AdaGrad: initialAccumulatorValue = -0.1 is outside the valid range [0, +inf)");
  }

  @Test
  void betasAtTheEdgesOfTheRange() {
    // 0 is allowed (no averaging); 1 is not (the average would never move).
    Adam.defaults().betas(0, 0);
    rejects(() -> AdamW.defaults().betas(0.9, 1.0),
        "AdamW: betas[1] = 1.0 is outside the valid range [0, 1)");
    rejects(() -> Adam.defaults().betas(-1e-9, 0.9),
        "Adam: betas[0] = -1.0E-9 is outside the valid range [0, 1)");
  }

  @Test
  void configsMustBeGiven() {
    rejects(() -> Adam.of(null),
        "Adam: config is null: start from Adam.defaults() and change settings");
    rejects(() -> Sgd.of(null),
        "Sgd: config is null: start from Sgd.defaults() and change settings");
    rejects(() -> Momentum.of(null),
        "Momentum: config is null: start from Momentum.defaults() and change settings");
    rejects(() -> LineSearch.of(null),
        "LineSearch: config is null: start from LineSearch.defaults() and change settings");
    rejects(() -> new Momentum.Config(null, 0.1f, 0.9, 0, 0), "Momentum: form must not be null");
  }

  @Test
  void minimizerSettings() {
    rejects(() -> Minimizer.of(Sgd.defaults()).maxSteps(-1),
        "Minimizer: maxSteps = -1 is outside the valid range [0, 2147483647]");
    rejects(() -> Minimizer.of(Sgd.defaults()).tolerance(Double.NaN),
        "Minimizer: tolerance = NaN is outside the valid range [0, +inf)");
    rejects(() -> Minimizer.of(null), "Minimizer: optimizer and schedule must not be null");
  }

  @Test
  void scheduleDecayFactorsLieInZeroOne() {
    for (double bad : new double[] {-0.5, 0, 1.0000001, Double.POSITIVE_INFINITY, Double.NaN}) {
      rejects(() -> Schedule.stepDecay(bad, 2),
          "Schedule.stepDecay: gamma = " + bad + " is outside the valid range (0, 1]");
    }
    // 1 keeps the step size; a tiny positive factor is allowed.
    assertEquals(0.5f, Schedule.stepDecay(1, 2).stepSize(0.5f, 9, 0));
    Schedule.stepDecay(1e-9, 1);
  }
}
