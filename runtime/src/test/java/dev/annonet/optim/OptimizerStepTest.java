package dev.annonet.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Single updates computed by hand, defaults, exposed state and reset. */
class OptimizerStepTest {

  @Test
  void lectureMomentumAveragesGradients() {
    // gamma 0.5, lr 1, constant gradient 2: v1 = 0.5 * 2 = 1, v2 = 0.5 * 1 + 0.5 * 2 = 1.5.
    Momentum m = Momentum.lecture(0.5).lr(1f);
    float[] x = {10};
    m.step(x, new float[] {2}, 1f);
    assertEquals(9f, x[0]);
    m.step(x, new float[] {2}, 1f);
    assertEquals(7.5f, x[0]);
    assertEquals(1.5f, m.state()[0][0]);
  }

  @Test
  void heavyBallSumsGradients() {
    // mu 0.5, lr 1, gradient 2: buf1 = 2, buf2 = 0.5 * 2 + 2 = 3.
    Momentum m = Momentum.heavyBall(0.5).lr(1f);
    float[] x = {10};
    m.step(x, new float[] {2}, 1f);
    assertEquals(8f, x[0]);
    m.step(x, new float[] {2}, 1f);
    assertEquals(5f, x[0]);
  }

  @Test
  void nesterovAddsTheLookAheadTerm() {
    // mu 0.5, gradient 2: buf1 = 2, step 2 + 0.5 * 2 = 3; buf2 = 3, step 2 + 1.5 = 3.5.
    Nesterov n = Nesterov.defaults().momentum(0.5);
    float[] x = {10};
    n.step(x, new float[] {2}, 1f);
    assertEquals(7f, x[0]);
    n.step(x, new float[] {2}, 1f);
    assertEquals(3.5f, x[0]);
  }

  @Test
  void adaGradDividesByTheRootOfTheSum() {
    // sum = 9 + 16 = 25 after gradients 3 then 4: second step is lr * 4 / 5.
    AdaGrad a = AdaGrad.defaults().lr(1f).eps(0);
    float[] x = {0};
    a.step(x, new float[] {3}, 1f);
    assertEquals(-1f, x[0]);
    a.step(x, new float[] {4}, 1f);
    assertEquals(-1.8f, x[0], 1e-6);
    assertEquals(25f, a.state()[0][0]);
  }

  @Test
  void rmsPropDividesByTheRootOfTheAverage() {
    // alpha 0.75, gradient 2: v = 0.25 * 4 = 1, step lr * 2 / 1.
    RmsProp r = RmsProp.defaults().alpha(0.75).eps(0);
    float[] x = {0};
    r.step(x, new float[] {2}, 0.5f);
    assertEquals(-1f, x[0]);
  }

  @Test
  void adamFirstStepIsTheSignTimesLr() {
    // Bias correction makes mhat = g and vhat = g^2, so the first step is lr * g / (|g| + eps).
    Adam adam = Adam.defaults().eps(0);
    float[] x = {1, 1, 1};
    adam.step(x, new float[] {0.003f, -50f, 7f}, 0.1f);
    assertArrayEquals(new float[] {0.9f, 1.1f, 0.9f}, x, 1e-6f);
  }

  @Test
  void adamWDecaysTheWeightsDirectly() {
    // A zero gradient leaves m = v = 0: AdamW only shrinks theta by (1 - lr * wd) per step,
    // while Adam's L2 term goes through the normaliser and moves by about lr.
    AdamW w = AdamW.defaults().weightDecay(0.5);
    float[] x = {2, -4};
    w.step(x, new float[2], 0.1f);
    w.step(x, new float[2], 0.1f);
    assertArrayEquals(new float[] {2 * 0.95f * 0.95f, -4 * 0.95f * 0.95f}, x, 1e-6f);
    Adam l2 = Adam.defaults().weightDecay(0.5);
    float[] y = {2, -4};
    l2.step(y, new float[2], 0.1f);
    assertArrayEquals(new float[] {1.9f, -3.9f}, y, 1e-6f);
  }

  @Test
  void defaultsAreTorchDefaults() {
    assertEquals(new Adam.Config(1e-3f, 0.9, 0.999, 1e-8, 0, false), Adam.defaults().config());
    assertEquals(new AdamW.Config(1e-3f, 0.9, 0.999, 1e-8, 1e-2, false),
        AdamW.defaults().config());
    assertEquals(new Adam.Config(1e-3f, 0.9, 0.999, 1e-8, 0, true), AmsGrad.defaults().config());
    assertEquals(new AdaGrad.Config(1e-2f, 0, 0, 0, 1e-10), AdaGrad.defaults().config());
    assertEquals(new RmsProp.Config(1e-2f, 0.99, 1e-8, 0, 0, false), RmsProp.defaults().config());
    assertEquals(new Nesterov.Config(1e-3f, 0.9, 0), Nesterov.defaults().config());
    assertEquals(new LineSearch.Config(1f, 0.5, 0, 40), LineSearch.defaults().config());
  }

  @Test
  void stateIsExposedAndResetForgetsIt() {
    Adam adam = Adam.defaults().amsgrad(true);
    assertEquals(0, adam.state().length);
    float[] x = {1, 2};
    adam.step(x, new float[] {1, 1}, 0.1f);
    adam.step(x, new float[] {1, 1}, 0.1f);
    float[][] s = adam.state();
    assertEquals(3, s.length);
    assertEquals(2, adam.steps());
    // m after two unit gradients: 0.1, then 0.9 * 0.1 + 0.1 = 0.19.
    assertEquals(0.19f, s[0][0], 1e-7f);
    assertSame(s[0], adam.state()[0]);
    adam.reset();
    assertEquals(0, adam.steps());
    assertEquals(0, adam.state().length);
  }

  @Test
  void resetRestartsTheTrajectory() {
    Objective f = TestObjectives.quadratic(new float[] {1, 3}, new float[] {2, -1});
    Optimizer[] all = {Momentum.heavyBall(0.9).lr(0.05f), Nesterov.defaults().lr(0.05f),
        AdaGrad.defaults(), RmsProp.defaults().momentum(0.5), Adam.defaults(), AdamW.defaults()};
    for (Optimizer o : all) {
      Minimizer m = Minimizer.of(o).maxSteps(15);
      double[] first = m.run(f, new float[] {0, 0}).values();
      double[] second = m.run(f, new float[] {0, 0}).values();
      assertArrayEquals(first, second, o.toString());
    }
  }
}
