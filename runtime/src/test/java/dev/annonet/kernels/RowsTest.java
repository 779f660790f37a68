package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RowsTest {

  @AfterEach
  void oneThreadAgain() {
    Kernels.setThreads(1);
  }

  /** A batch large enough to be split (W3's 128 rows of 784) and one row short of a part. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void aGatherCopiesTheRowsInOrderAtAnyThreadCount(int threads) {
    Kernels.setThreads(threads);
    int rows = 500;
    int rowLen = 784;
    SplittableRandom random = new SplittableRandom(threads);
    float[] src = new float[rows * rowLen];
    for (int i = 0; i < src.length; i++) {
      src[i] = (float) random.nextGaussian();
    }
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = random.nextInt(rows);
    }
    for (int count : new int[] {1, 3, 128, 131, 400}) {
      int from = 7;
      float[] dst = new float[(count + 1) * rowLen];
      Arrays.fill(dst, Float.NaN);
      Rows.gather(src, rowLen, order, from, count, dst);
      for (int k = 0; k < count; k++) {
        int row = order[from + k];
        assertArrayEquals(Arrays.copyOfRange(src, row * rowLen, (row + 1) * rowLen),
            Arrays.copyOfRange(dst, k * rowLen, (k + 1) * rowLen),
            "row " + k + " of " + count + " at " + threads + " threads");
      }
      // Nothing is written past the batch.
      for (int i = count * rowLen; i < dst.length; i++) {
        assertEquals(Float.NaN, dst[i]);
      }
    }
  }
}
