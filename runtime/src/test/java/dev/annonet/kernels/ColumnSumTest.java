package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bias gradients ({@link Gemm#sumColumns}) shared by column ranges: every column the rows added
 * in order, on one, two and three threads, on both paths.
 */
class ColumnSumTest {

  @AfterEach
  void restore() {
    Kernels.setThreads(1);
    Kernels.forcePlain(false);
  }

  @ParameterizedTest(name = "plain={0}")
  @ValueSource(booleans = {false, true})
  void sameBitsOnOneTwoAndThreeThreadsAsRowsAddedInOrder(boolean plain) {
    Kernels.forcePlain(plain);
    // 2,048 x 549 (ragged: 8 units of 64 and 37 columns) is shared; 40 x 300 is not.
    for (int[] shape : new int[][] {{2048, 549}, {40, 300}, {700, 130}}) {
      int m = shape[0];
      int n = shape[1];
      SplittableRandom rnd = new SplittableRandom(m * 31L + n);
      float[] a = Naive.random(rnd, 3 + m * n, 1);
      float[] expected = new float[n + 2];
      for (int j = 0; j < n; j++) {
        float s = 0f;
        for (int i = 0; i < m; i++) {
          s += a[3 + i * n + j];
        }
        expected[2 + j] = s;
      }
      for (int threads = 1; threads <= 3; threads++) {
        Kernels.setThreads(threads);
        float[] out = new float[n + 2];
        java.util.Arrays.fill(out, 7f); // overwritten, not added to
        out[0] = 0f;
        out[1] = 0f;
        Gemm.sumColumns(m, n, a, 3, out, 2);
        assertArrayEquals(expected, out, m + " x " + n + ", " + threads + " threads");
        if (threads > 1) {
          long shared = (long) m * n >= 2L * ColumnSumTask.MIN_PART && n >= 128 ? 1 : 0;
          assertEquals(shared, Kernels.team().shared(), "shared on the team");
        }
      }
    }
  }
}
