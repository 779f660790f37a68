package dev.annonet.examples.diabetes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Regression on real data beats the predict-the-mean baseline clearly. */
class DiabetesExampleTest {

  @Test
  void beatsTheMeanBaseline() {
    double[] rmse = DiabetesExample.run(42, 100);
    assertTrue(
        rmse[0] < 0.9 * rmse[1],
        "held-out RMSE " + rmse[0] + " is not clearly below the baseline " + rmse[1]);
  }
}
