package dev.annonet.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Restoring an optimizer from copies of its state and step count continues the trajectory bit
 * for bit, for every optimizer and every option that changes the state; state that does not fit
 * is refused with a message naming the difference.
 */
class RestoreTest {

  private static final float[] C = {1.5f, 0.7f, 2.2f, 0.3f, 1.1f};
  private static final float[] D = {-0.4f, 0.9f, 0.1f, -1.2f, 0.6f};

  static List<Arguments> optimizers() {
    Map<String, Supplier<Optimizer>> all = new java.util.LinkedHashMap<>();
    all.put("GradientDescent", () -> GradientDescent.defaults().lr(0.1f));
    all.put("LineSearch", () -> LineSearch.defaults().c(1e-4));
    all.put("Sgd", () -> Sgd.defaults().lr(0.1f).weightDecay(0.01));
    all.put("Momentum lecture", () -> Momentum.lecture(0.8).lr(0.1f));
    all.put("Momentum heavy ball", () -> Momentum.heavyBall(0.9).lr(0.05f).dampening(0.1));
    all.put("Nesterov", () -> Nesterov.defaults().lr(0.05f).weightDecay(0.01));
    all.put("AdaGrad", () -> AdaGrad.defaults().lr(0.1f).lrDecay(0.01)
        .initialAccumulatorValue(0.1));
    all.put("RmsProp", () -> RmsProp.defaults());
    all.put("RmsProp centered momentum", () -> RmsProp.defaults().centered(true).momentum(0.5));
    all.put("RmsProp momentum", () -> RmsProp.defaults().momentum(0.5));
    all.put("Adam", () -> Adam.defaults().lr(0.05f));
    all.put("Adam amsgrad", () -> Adam.defaults().lr(0.05f).amsgrad(true));
    all.put("AmsGrad", () -> AmsGrad.defaults().lr(0.05f));
    all.put("AdamW", () -> AdamW.defaults().lr(0.05f));
    List<Arguments> list = new ArrayList<>();
    all.forEach((name, make) -> list.add(Arguments.of(name, make)));
    return list;
  }

  /** Takes {@code count} steps from {@code theta} in place, with an inverse-time schedule. */
  private static void run(Optimizer opt, Objective f, float[] theta, int from, int count) {
    float[] grad = new float[theta.length];
    for (int k = from; k < from + count; k++) {
      double value = f.valueAndGradient(theta, grad);
      float lr = Schedule.inverseTime().stepSize(opt.learningRate(), k, k);
      if (opt.needsObjective()) {
        opt.step(theta, grad, lr, f, value);
      } else {
        opt.step(theta, grad, lr);
      }
    }
  }

  private static float[][] copy(float[][] state) {
    float[][] c = new float[state.length][];
    for (int i = 0; i < state.length; i++) {
      c[i] = state[i].clone();
    }
    return c;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void restoredOptimizerContinuesBitForBit(String name, Supplier<Optimizer> make) {
    Objective f = TestObjectives.quadSin(C, D, 0.8f);
    float[] start = {1f, -2f, 0.5f, 3f, -1f};

    Optimizer whole = make.get();
    float[] a = start.clone();
    run(whole, f, a, 0, 12);

    Optimizer first = make.get();
    float[] b = start.clone();
    run(first, f, b, 0, 5);
    float[][] saved = copy(first.state());
    long steps = first.steps();
    assertEquals(5, steps);
    Optimizer second = make.get();
    second.restore(saved, steps);
    // The arrays are copied: changing the saved ones afterwards must not matter.
    for (float[] s : saved) {
      java.util.Arrays.fill(s, 1e9f);
    }
    run(second, f, b, 5, 7);

    assertArrayEquals(a, b, name + ": parameters after 5 + 7 steps differ from 12 steps");
    assertEquals(whole.steps(), second.steps());
    float[][] sa = whole.state();
    float[][] sb = second.state();
    assertEquals(sa.length, sb.length);
    for (int i = 0; i < sa.length; i++) {
      assertArrayEquals(sa[i], sb[i], name + ": state array " + i);
    }
    // The state matters: continuing with a fresh optimizer instead takes another path.
    if (sa.length > 0) {
      float[] forgetful = start.clone();
      run(make.get(), f, forgetful, 0, 5);
      run(make.get(), f, forgetful, 5, 7);
      assertFalse(java.util.Arrays.equals(a, forgetful),
          name + ": forgetting the state should change the trajectory");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void restoringNothingIsAReset(String name, Supplier<Optimizer> make) {
    Objective f = TestObjectives.quadSin(C, D, 0.8f);
    Optimizer used = make.get();
    float[] a = {1f, -2f, 0.5f, 3f, -1f};
    run(used, f, a, 0, 3);
    used.restore(new float[0][], 0);
    assertEquals(0, used.steps());
    assertEquals(0, used.state().length);
    float[] b = {1f, -2f, 0.5f, 3f, -1f};
    float[] c = b.clone();
    run(used, f, b, 0, 4);
    run(make.get(), f, c, 0, 4);
    assertArrayEquals(c, b);
  }

  @Test
  void anotherOptimizersStateIsRefused() {
    Adam adam = Adam.defaults();
    float[] theta = {1, 2, 3};
    adam.step(theta, new float[] {0.1f, 0.2f, 0.3f}, 0.01f);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Momentum.defaults().restore(adam.state(), adam.steps()));
    assertTrue(e.getMessage().contains("Momentum: state has 2 array(s)"), e.getMessage());
    assertTrue(e.getMessage().contains("keeps 1 {velocity}"), e.getMessage());

    IllegalArgumentException ams = assertThrows(IllegalArgumentException.class,
        () -> Adam.defaults().amsgrad(true).restore(adam.state(), adam.steps()));
    assertTrue(ams.getMessage().contains("keeps 3 {m, v, vMax}"), ams.getMessage());

    IllegalArgumentException centered = assertThrows(IllegalArgumentException.class,
        () -> RmsProp.defaults().centered(true).restore(new float[][] {{1, 2}}, 4));
    assertTrue(centered.getMessage().contains("keeps 2 {squareAvg, gradAvg}"),
        centered.getMessage());

    IllegalArgumentException sgd = assertThrows(IllegalArgumentException.class,
        () -> Sgd.defaults().restore(new float[][] {{1, 2}}, 4));
    assertTrue(sgd.getMessage().contains("keeps 0 none"), sgd.getMessage());
  }

  @Test
  void badShapesAndCountsAreRefused() {
    IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
        () -> Adam.defaults().restore(new float[][] {{1, 2, 3}, {1, 2}}, 2));
    assertEquals("Adam: state array 1 (v) has 2 entries but m has 3: every array holds one"
        + " value per parameter", lengths.getMessage());

    IllegalArgumentException noSteps = assertThrows(IllegalArgumentException.class,
        () -> Nesterov.defaults().restore(new float[][] {{1, 2}}, 0));
    assertTrue(noSteps.getMessage().contains("steps = 0"), noSteps.getMessage());

    IllegalArgumentException noState = assertThrows(IllegalArgumentException.class,
        () -> AdaGrad.defaults().restore(new float[0][], 3));
    assertTrue(noState.getMessage().contains("AdaGrad: state has 0 array(s) but after 3"
        + " step(s)"), noState.getMessage());

    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> GradientDescent.defaults().restore(new float[0][], -1));
    assertTrue(negative.getMessage().contains("steps = -1 is negative"), negative.getMessage());

    // A refused restore leaves the optimizer as it was.
    Momentum m = Momentum.defaults();
    float[] theta = {1, 2};
    m.step(theta, new float[] {0.5f, 0.5f}, 0.1f);
    float[] before = m.state()[0].clone();
    assertThrows(IllegalArgumentException.class,
        () -> m.restore(new float[][] {{1, 2}, {3, 4}}, 5));
    assertEquals(1, m.steps());
    assertArrayEquals(before, m.state()[0]);
  }

  @Test
  void schedulesArePureFunctionsOfEpochAndIteration() {
    // A checkpoint stores only the epoch and the update count: each schedule must give the same
    // step for the same (epoch, iteration) whatever it was asked before.
    List<Schedule> schedules = List.of(Schedule.constant(), Schedule.inverseTime(),
        Schedule.inverseTimePerEpoch(), Schedule.stepDecay(0.5, 3), Schedule.epochDoubling(2),
        Schedule.cosine(20), Schedule.warmup(3, Schedule.cosine(20)));
    for (Schedule s : schedules) {
      float[] forward = new float[40];
      for (int e = 0; e < 40; e++) {
        forward[e] = s.stepSize(0.3f, e, 7L * e + 3);
      }
      for (int e = 39; e >= 0; e--) {
        assertEquals(forward[e], s.stepSize(0.3f, e, 7L * e + 3), "epoch " + e);
      }
    }
  }
}
