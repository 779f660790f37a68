package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks that the optimizer update loops give the scalar loop's bits on the vector path and on
 * 1, 2 and 3 threads, for every rule and option, and that small updates stay on one thread.
 * (The formulas themselves are checked against PyTorch by the optimizer tests.)
 */
class UpdatesTest {

  @AfterEach
  void restore() {
    Kernels.forcePlain(false);
    Kernels.setThreads(1);
  }

  /** One run of five steps of a rule on fresh copies of the same start. */
  private interface Run {
    float[][] steps(float[][] start);
  }

  static Stream<Arguments> rules() {
    // s = {theta, grad, state...}; second moments start non-negative (v >= m * m centered).
    return Stream.of(
        Arguments.of("sgd", (Run) s -> five(s, () -> Updates.sgd(s[0], s[1], s[0].length, 0.1f,
            0.01f))),
        Arguments.of("momentum", (Run) s -> five(s, () -> Updates.momentum(s[0], s[1], s[2],
            s[0].length, 0.1f, 0.9f, 0.7f, 0.01f))),
        Arguments.of("nesterov", (Run) s -> five(s, () -> Updates.nesterov(s[0], s[1], s[2],
            s[0].length, 0.1f, 0.9f, 0f))),
        Arguments.of("adaGrad", (Run) s -> {
          abs(s[2]);
          return five(s, () -> Updates.adaGrad(s[0], s[1], s[2], s[0].length, 0.1f, 1e-10f,
              0.01f));
        }),
        Arguments.of("rmsProp", (Run) s -> {
          abs(s[2]);
          return five(s, () -> Updates.rmsProp(s[0], s[1], s[2], null, null, s[0].length,
              0.01f, 0.99f, 0.01f, 1e-8f, 0f, 0f));
        }),
        Arguments.of("rmsProp centered momentum", (Run) s -> {
          centered(s[2], s[3]);
          return five(s, () -> Updates.rmsProp(s[0], s[1], s[2], s[3], s[4], s[0].length,
              0.01f, 0.99f, 0.01f, 1e-8f, 0.01f, 0.9f));
        }),
        Arguments.of("adam", (Run) s -> {
          abs(s[3]);
          return five(s, () -> Updates.adam(s[0], s[1], s[2], s[3], null, s[0].length, 1e-3f,
              0.0447f, 0.9f, 0.999f, 0.1f, 0.001f, 1e-8f, 0f, false, 1f));
        }),
        Arguments.of("amsgrad adamw", (Run) s -> {
          abs(s[3]);
          abs(s[4]);
          return five(s, () -> Updates.adam(s[0], s[1], s[2], s[3], s[4], s[0].length, 1e-3f,
              0.0447f, 0.9f, 0.999f, 0.1f, 0.001f, 1e-8f, 0.02f, true, 0.9999f));
        }));
  }

  /** Five updates, each after the gradient is changed; returns every array. */
  private static float[][] five(float[][] s, Runnable update) {
    for (int step = 0; step < 5; step++) {
      for (int i = 0; i < s[1].length; i++) {
        s[1][i] = s[1][i] * -0.75f + 0.001f * step;
      }
      update.run();
    }
    return s;
  }

  /** Makes a second moment non-negative in place. */
  private static void abs(float[] a) {
    for (int i = 0; i < a.length; i++) {
      a[i] = Math.abs(a[i]);
    }
  }

  /** Makes {@code v >= m * m} in place, as a centered second moment is. */
  private static void centered(float[] v, float[] m) {
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.abs(v[i]) + m[i] * m[i];
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void everyPathAndThreadCountGivesTheScalarBits(String name, Run run) {
    // Past the split threshold, not a multiple of any vector length; values over many scales,
    // zeros and subnormals included.
    int n = 3 * Updates.MIN_PART + 37;
    SplittableRandom rnd = new SplittableRandom(7);
    float[][] start = new float[5][n];
    for (float[] a : start) {
      for (int i = 0; i < n; i++) {
        double scale = Math.pow(10, rnd.nextInt(-8, 3));
        a[i] = i % 97 == 0 ? 0f : i % 89 == 0 ? Float.MIN_VALUE * 3 : (float) (rnd.nextGaussian()
            * scale);
      }
    }
    Kernels.forcePlain(true);
    Kernels.setThreads(1);
    float[][] reference = run.steps(copy(start));
    for (boolean plain : new boolean[] {true, false}) {
      if (!plain && !Kernels.vectorModulePresent()) {
        continue;
      }
      Kernels.forcePlain(plain);
      for (int threads = 1; threads <= 3; threads++) {
        Kernels.setThreads(threads);
        long sharedBefore = threads == 1 ? 0 : Kernels.team().shared();
        float[][] got = run.steps(copy(start));
        if (threads > 1) {
          assertEquals(5, Kernels.team().shared() - sharedBefore, "five updates shared");
        }
        for (int a = 0; a < got.length; a++) {
          for (int i = 0; i < n; i++) {
            if (Float.floatToIntBits(got[a][i]) != Float.floatToIntBits(reference[a][i])) {
              fail(name + (plain ? " plain" : " vector") + " at " + threads + " threads: array "
                  + a + " element " + i + " is " + got[a][i] + ", the scalar loop gives "
                  + reference[a][i]);
            }
          }
        }
      }
    }
  }

  @Test
  void smallUpdatesStayOnTheCaller() {
    Kernels.setThreads(2);
    long before = Kernels.team().shared();
    float[] theta = new float[Updates.MIN_PART * 2 - 1];
    Updates.sgd(theta, new float[theta.length], theta.length, 0.1f, 0f);
    assertEquals(before, Kernels.team().shared());
    float[] big = new float[Updates.MIN_PART * 2];
    Updates.sgd(big, new float[big.length], big.length, 0.1f, 0f);
    assertEquals(before + 1, Kernels.team().shared());
    assertTrue(Updates.partsFor(Updates.MIN_PART * 64, 3) == 3);
  }

  private static float[][] copy(float[][] a) {
    float[][] c = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
