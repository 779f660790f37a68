package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The embedding kernels: rows gathered forward, a scatter-add backward checked against central
 * differences of {@code L = sum(out * r)} (summed in double), and ids checked with a clear error.
 */
class EmbeddingTest {
  private static final int BATCH = 3;
  private static final int STEPS = 4;
  private static final int VOCABULARY = 5;
  private static final int DIM = 3;
  private static final int W_OFF = 2;

  /** Ids with repeats, so that the backward adds several positions into one row. */
  private static final float[] IDS = {0, 4, 4, 1, 2, 2, 2, 0, 3, 1, 4, 4};

  @Test
  void forwardCopiesTheRowOfEachId() {
    float[] p = Naive.random(new SplittableRandom(1), W_OFF + VOCABULARY * DIM, 1);
    float[] out = new float[BATCH * STEPS * DIM];
    Embedding.forward(IDS, p, W_OFF, out, BATCH, STEPS, VOCABULARY, DIM);
    for (int k = 0; k < BATCH * STEPS; k++) {
      for (int j = 0; j < DIM; j++) {
        assertEquals(p[W_OFF + (int) IDS[k] * DIM + j], out[k * DIM + j]);
      }
    }
  }

  @Test
  void weightGradientMatchesCentralDifferences() {
    float[] p = Naive.random(new SplittableRandom(2), W_OFF + VOCABULARY * DIM, 1);
    float[] r = Naive.random(new SplittableRandom(3), BATCH * STEPS * DIM, 1);
    float[] out = new float[r.length];
    GradientCheck.Scalar loss = () -> {
      Embedding.forward(IDS, p, W_OFF, out, BATCH, STEPS, VOCABULARY, DIM);
      double sum = 0;
      for (int t = 0; t < out.length; t++) {
        sum += (double) out[t] * r[t];
      }
      return sum;
    };
    float[] g = new float[p.length];
    java.util.Arrays.fill(g, 7f);
    Embedding.backward(r, IDS, g, W_OFF, BATCH, STEPS, VOCABULARY, DIM);
    GradientCheck.assertGradient("embedding weight", g, W_OFF, p, W_OFF, VOCABULARY * DIM, loss);
    assertEquals(7f, g[0], "values before the weight are left alone");
  }

  @Test
  void anIdOutOfRangeIsReportedWithItsSampleAndPosition() {
    float[] p = new float[W_OFF + VOCABULARY * DIM];
    float[] out = new float[BATCH * STEPS * DIM];
    float[] ids = IDS.clone();
    ids[6] = 9;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Embedding.forward(ids, p, W_OFF, out, BATCH, STEPS, VOCABULARY, DIM));
    assertEquals("sample 1, position 2 holds token id 9.0, outside the vocabulary [0, 5):"
        + " re-encode the data, or declare @TokenInput(vocabulary = 10) or more", e.getMessage());
    ids[6] = 1.5f;
    e = assertThrows(IllegalArgumentException.class,
        () -> Embedding.forward(ids, p, W_OFF, out, BATCH, STEPS, VOCABULARY, DIM));
    assertTrue(e.getMessage().contains("1.5, which is not a whole number: token ids are the"
        + " whole numbers 0..4"), e.getMessage());
    ids[6] = -1;
    e = assertThrows(IllegalArgumentException.class,
        () -> Embedding.forward(ids, p, W_OFF, out, BATCH, STEPS, VOCABULARY, DIM));
    assertTrue(e.getMessage().startsWith("sample 1, position 2 holds token id -1.0, outside"),
        e.getMessage());
    assertArrayEquals(new float[out.length], out, "nothing is written before the ids pass");
  }
}
