package dev.annonet.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import org.junit.jupiter.api.Test;

/** Checks the test models' own gradients by central finite differences. */
class LinearModelTest {

  @Test
  void squaredErrorGradientMatchesFiniteDifferences() {
    Model m = new SquaredErrorModel(4, 3);
    Dataset d = Dataset.of(Synthetic.features(7, 4, 1), 4, Synthetic.features(7, 3, 2), 3);
    checkGradient(m, d);
  }

  @Test
  void softmaxGradientMatchesFiniteDifferences() {
    checkGradient(new SoftmaxModel(5, 4), Synthetic.separable(9, 5, 4, 3));
  }

  @Test
  void logisticGradientMatchesFiniteDifferences() {
    Dataset d = Synthetic.separable(8, 3, 2, 4);
    checkGradient(new LogisticModel(3), d);
  }

  @Test
  void softmaxPredictionsAreProbabilities() {
    Model m = new SoftmaxModel(5, 4);
    m.initialize(3);
    float[] p = m.predict(new float[] {1, -2, 0.5f, 3, 0});
    double sum = 0;
    for (float v : p) {
      assertTrue(v > 0 && v < 1);
      sum += v;
    }
    assertEquals(1, sum, 1e-6);
  }

  private static void checkGradient(Model m, Dataset d) {
    m.initialize(11);
    // Move the bias off zero so that its gradient is checked at a generic point too.
    float[] theta = m.parameters();
    for (int i = 0; i < theta.length; i++) {
      theta[i] += 0.1f * (i % 3 - 1);
    }
    float[] x = d.features();
    float[] y = d.targets();
    int n = d.size();
    m.lossAndGradient(x, y, n);
    float[] analytic = m.gradients().clone();
    float h = 1e-2f;
    for (int i = 0; i < theta.length; i++) {
      float saved = theta[i];
      theta[i] = saved + h;
      double plus = m.loss(x, y, n);
      theta[i] = saved - h;
      double minus = m.loss(x, y, n);
      theta[i] = saved;
      double numeric = (plus - minus) / (2 * h);
      assertEquals(numeric, analytic[i], 1e-3 + 1e-2 * Math.abs(numeric), "parameter " + i);
    }
  }
}
