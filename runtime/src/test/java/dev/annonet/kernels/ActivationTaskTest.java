package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GELU's activation and derivative on long arrays are shared with the kernel threads: the same
 * bits on one, two and three threads, really run on the team, nothing allocated once warm.
 */
class ActivationTaskTest {

  @AfterEach
  void oneThread() {
    Kernels.setThreads(1);
  }

  /** Results of the three operations on arrays at offsets, for one thread count. */
  private static float[][] run(Activation act, int threads, int len) {
    Kernels.setThreads(threads);
    SplittableRandom rnd = new SplittableRandom(len);
    float[] x = Naive.random(rnd, len + 5, 3);
    float[] d = Naive.random(rnd, len + 7, 1);
    float[] applied = x.clone();
    act.applyInPlace(applied, 5, len, 0f);
    float[] kept = new float[len + 3];
    float[] appliedKeeping = x.clone();
    act.applyInPlaceKeepingInput(appliedKeeping, 5, kept, 3, len, 0f);
    act.multiplyByDerivativeAt(d, 7, x, 5, len, 0f);
    return new float[][] {applied, appliedKeeping, kept, d};
  }

  @ParameterizedTest
  @EnumSource(value = Activation.class, names = {"GELU", "GELU_TANH"})
  void sameBitsOnOneTwoAndThreeThreads(Activation act) {
    // Ranges of whole 64-element units and a ragged end; exactly two parts' worth too.
    for (int len : new int[] {3 * ActivationTask.MIN_PART + 37, 2 * ActivationTask.MIN_PART}) {
      float[][] one = run(act, 1, len);
      for (int threads = 2; threads <= 3; threads++) {
        float[][] many = run(act, threads, len);
        assertEquals(3, Kernels.team().shared(), "the three operations ran on the team");
        String[] what = {"applyInPlace", "applyInPlaceKeepingInput", "the kept input",
            "multiplyByDerivativeAt"};
        for (int i = 0; i < one.length; i++) {
          assertArrayEquals(one[i], many[i], what[i] + ", " + threads + " threads, " + len);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Activation.class, names = {"GELU"})
  void sharedCallsAllocateNothingOnceWarm(Activation act) {
    Kernels.setThreads(2);
    int len = 3 * ActivationTask.MIN_PART;
    SplittableRandom rnd = new SplittableRandom(3);
    float[] x = Naive.random(rnd, len, 3);
    float[] a = x.clone();
    float[] kept = new float[len];
    float[] d = Naive.random(rnd, len, 1);
    Runnable calls = () -> {
      System.arraycopy(x, 0, a, 0, len);
      act.applyInPlaceKeepingInput(a, 0, kept, 0, len, 0f);
      act.multiplyByDerivativeAt(d, 0, kept, 0, len, 0f);
      act.applyInPlace(a, 0, len, 0f);
    };
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    long least = Long.MAX_VALUE;
    for (int window = 0; window < 200 && least != 0; window++) {
      long before = bean.getThreadAllocatedBytes(self);
      for (int r = 0; r < 10; r++) {
        calls.run();
      }
      least = Math.min(least, bean.getThreadAllocatedBytes(self) - before);
    }
    assertEquals(0, least, "bytes allocated by ten rounds of shared calls, once warm");
    assertEquals(true, Kernels.team().shared() > 0, "the calls ran on the team");
  }
}
