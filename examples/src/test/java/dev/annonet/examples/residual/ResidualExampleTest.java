package dev.annonet.examples.residual;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The residual MLP trains as well as the plain one on the digits. */
class ResidualExampleTest {

  @Test
  void reachesNinetyFivePercent() {
    double accuracy = ResidualExample.train(42, 15).validation().accuracy();
    assertTrue(accuracy >= 0.95, "held-out accuracy " + accuracy + " is below 0.95");
  }
}
