package dev.annonet.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Steps after the first allocate nothing, once compiled: state is sized once and reused. */
class AllocationTest {

  static Stream<Optimizer> optimizers() {
    return Stream.of(GradientDescent.defaults(),
        GradientDescent.withEstimatedLipschitz().reestimateEvery(50), LineSearch.defaults(),
        Sgd.defaults().weightDecay(0.1), Momentum.lecture(0.9), Momentum.heavyBall(0.9).dampening(0.1),
        Nesterov.defaults(), AdaGrad.defaults(), RmsProp.defaults().centered(true).momentum(0.5),
        Adam.defaults(), AmsGrad.defaults(), AdamW.defaults());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void stepAllocatesNothingAfterTheFirst(Optimizer optimizer) {
    com.sun.management.ThreadMXBean bean = allocationCounter();

    int n = 1000;
    float[] a = new float[n];
    float[] b = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = 1 + (i % 7);
      b[i] = (i % 13) - 6;
    }
    Objective f = TestObjectives.quadratic(a, b);
    float[] theta = new float[n];
    float[] grad = new float[n];
    float lr = 1e-3f;
    double value = f.valueAndGradient(theta, grad);
    value = step(optimizer, f, theta, grad, lr, value); // sizes the state
    // Warm up so the loop is measured after JIT compilation too, not only interpreted.
    for (int k = 0; k < 2000; k++) {
      value = step(optimizer, f, theta, grad, lr, value);
    }
    // Then windows of 200 steps until one allocates nothing, for at most 30 seconds: a step
    // that allocates shows in every window, while the Vector API's update loops box their
    // values until C2 has compiled them, which a loaded machine can delay.
    long deadline = System.nanoTime() + 30_000_000_000L;
    long[] last = new long[3];
    for (int w = 0; w < 3 || System.nanoTime() < deadline; w++) {
      long before = bean.getCurrentThreadAllocatedBytes();
      for (int k = 0; k < 200; k++) {
        value = step(optimizer, f, theta, grad, lr, value);
      }
      long bytes = bean.getCurrentThreadAllocatedBytes() - before;
      if (bytes == 0) {
        return;
      }
      last[w % 3] = bytes;
    }
    fail(optimizer + " still allocated after 30 seconds of windows of 200 steps; the last three: "
        + Arrays.toString(last) + " bytes");
  }

  @Test
  void iterateAveragingAllocatesNothing() {
    com.sun.management.ThreadMXBean bean = allocationCounter();
    int n = 1000;
    float[] theta = new float[n];
    IterateAverage weighted = new IterateAverage(Averaging.stepWeighted(), n);
    IterateAverage uniform = new IterateAverage(Averaging.uniformFrom(100), n);
    float[] out = new float[n];
    long update = 0;
    for (; update < 2000; update++) {
      theta[(int) (update % n)] += 1;
      weighted.add(theta, 1e-3f, update);
      uniform.add(theta, 1e-3f, update);
    }
    long before = bean.getCurrentThreadAllocatedBytes();
    for (int k = 0; k < 200; k++, update++) {
      theta[(int) (update % n)] += 1;
      weighted.add(theta, 1e-3f, update);
      uniform.add(theta, 1e-3f, update);
    }
    weighted.copyTo(out);
    assertEquals(0, bean.getCurrentThreadAllocatedBytes() - before, "bytes for 200 updates");
  }

  /** The thread bean, counting allocations (skips the test where that is unsupported). */
  private static com.sun.management.ThreadMXBean allocationCounter() {
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(bean.isThreadAllocatedMemorySupported(), "allocation counting unsupported");
    bean.setThreadAllocatedMemoryEnabled(true);
    return bean;
  }

  private static double step(Optimizer o, Objective f, float[] theta, float[] grad, float lr,
      double value) {
    if (o.needsObjective()) {
      o.step(theta, grad, lr, f, value);
    } else {
      o.step(theta, grad, lr);
    }
    return f.valueAndGradient(theta, grad);
  }
}
