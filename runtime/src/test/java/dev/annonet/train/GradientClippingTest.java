package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.testing.SquaredErrorModel;
import dev.annonet.testing.Synthetic;
import dev.annonet.testing.TestSgd;
import org.junit.jupiter.api.Test;

/** Gradient clipping as torch.nn.utils.clip_grad_norm_, checked by hand. */
class GradientClippingTest {

  @Test
  void aLongGradientIsScaledToTheBound() {
    // |(3, -4, 0)| = 5; c = 1 / (5 + 1e-6) = 0.19999996 in float.
    float[] g = {3, -4, 0};
    assertEquals(5.0, GradientClipping.clip(g, 1.0));
    assertArrayEquals(new float[] {0.5999999f, -0.79999983f, 0}, g);
  }

  @Test
  void theEpsilonScalesAGradientAtTheBoundAsPyTorchDoes() {
    // c = 5 / (5 + 1e-6) = 0.9999998 < 1: multiplied, as clip_grad_norm_ does.
    float[] g = {3, -4};
    GradientClipping.clip(g, 5.0);
    assertArrayEquals(new float[] {2.9999995f, -3.9999993f}, g);
  }

  @Test
  void aShortGradientIsLeftAlone() {
    float[] g = {3, -4};
    assertEquals(5.0, GradientClipping.clip(g, 10.0));
    assertArrayEquals(new float[] {3, -4}, g);
  }

  @Test
  void aNonFiniteGradientIsReportedAndLeftAlone() {
    float[] g = {3, Float.NaN};
    assertTrue(Double.isNaN(GradientClipping.clip(g, 1.0)));
    assertEquals(3f, g[0]);
    float[] h = {Float.POSITIVE_INFINITY, 1};
    assertEquals(Double.POSITIVE_INFINITY, GradientClipping.clip(h, 1.0));
    assertEquals(1f, h[1]);
  }

  @Test
  void theTrainerStepsAlongTheClippedGradient() {
    float[][] w = {{1.5f, -2f, 0.5f}, {0.25f, 1f, -1f}};
    Dataset data = Synthetic.linear(20, w, new float[] {3, -3}, 1);
    Model m = new SquaredErrorModel(3, 2);
    m.initialize(1);
    float[] before = m.parameters().clone();
    // The full-data gradient, computed independently of the trainer.
    Model check = m.copy();
    check.lossAndGradient(data.features(), data.targets(), data.size());
    float[] g = check.gradients();
    double norm = 0;
    for (float v : g) {
      norm += (double) v * v;
    }
    norm = Math.sqrt(norm);
    double maxNorm = 0.2;
    assertTrue(norm > 10 * maxNorm, "the gradient is long enough to clip: " + norm);

    float lr = 0.1f;
    Trainer.of(m).optimizer(new TestSgd(lr)).batchSize(20).epochs(1).clipGradientNorm(maxNorm)
        .quiet().fit(data);
    float[] after = m.parameters();
    double step = 0;
    for (int i = 0; i < after.length; i++) {
      double expected = before[i] - lr * (maxNorm / (norm + 1e-6)) * g[i];
      assertEquals(expected, after[i], 1e-6, "parameter " + i);
      step += ((double) after[i] - before[i]) * ((double) after[i] - before[i]);
    }
    assertEquals(lr * maxNorm, Math.sqrt(step), 1e-6, "the step has length lr * maxNorm");
  }
}
