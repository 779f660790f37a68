package dev.annonet.kernels;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The position table's kernels against central differences of {@code L = sum(out * r)} (summed
 * in double), the input having gone through an activation whose derivative the backward applies.
 */
class PositionalEmbeddingTest {
  private static final int BATCH = 3;
  private static final int STEPS = 4;
  private static final int FEATURES = 5;
  private static final int W_OFF = 3;
  private static final float ALPHA = 0.1f;

  @Test
  void gradientsMatchCentralDifferences() {
    for (Activation act : Naive.fromOutput()) {
      int n = BATCH * STEPS * FEATURES;
      float[] z = Naive.random(new SplittableRandom(5 + act.ordinal()), n, 2);
      float[] p = Naive.random(new SplittableRandom(6), W_OFF + STEPS * FEATURES, 1);
      float[] r = Naive.random(new SplittableRandom(7), n, 1);
      float[] in = new float[n];
      float[] out = new float[n];
      GradientCheck.Scalar loss = () -> {
        System.arraycopy(z, 0, in, 0, n);
        act.applyInPlace(in, 0, n, ALPHA);
        PositionalEmbedding.forward(in, p, W_OFF, out, BATCH, STEPS, FEATURES);
        double sum = 0;
        for (int t = 0; t < n; t++) {
          sum += (double) out[t] * r[t];
        }
        return sum;
      };
      loss.value();
      float[] g = new float[p.length];
      float[] dz = new float[n];
      PositionalEmbedding.backward(r, in, dz, g, W_OFF, BATCH, STEPS, FEATURES, act, ALPHA);
      GradientCheck.assertGradient(act + " table", g, W_OFF, p, W_OFF, STEPS * FEATURES, loss);
      if (act != Activation.RELU && act != Activation.LEAKY_RELU) {
        GradientCheck.assertGradient(act + " input", dz, 0, z, 0, n, loss);
      }
    }
  }
}
