package dev.annonet.examples.digits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.train.TrainingReport;
import org.junit.jupiter.api.Test;

/** The flagship example end to end: the accuracy bar and run-to-run determinism. */
class DigitsExampleTest {

  @Test
  void reachesNinetyFivePercentOnHeldOutFifth() {
    TrainingReport report = DigitsExample.train(42, 30);
    double accuracy = report.validation().accuracy();
    assertTrue(accuracy >= 0.95, "held-out accuracy " + accuracy + " is below 0.95");
  }

  @Test
  void sameSeedGivesIdenticalTraining() {
    TrainingReport a = DigitsExample.train(7, 3);
    TrainingReport b = DigitsExample.train(7, 3);
    assertEquals(a.history().toCsv().replaceAll(",[^,\n]*\n", "\n"),
        b.history().toCsv().replaceAll(",[^,\n]*\n", "\n"),
        "history without the seconds column");
    assertArrayEquals(
        new double[] {a.history().last().trainLoss(), a.validation().accuracy()},
        new double[] {b.history().last().trainLoss(), b.validation().accuracy()});
  }
}
