package dev.annonet.examples.lenet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.testing.SharedData;
import dev.annonet.train.TrainingReport;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** LeNet-5 on the full MNIST training set reaches the design's 98.5% test accuracy. */
class LeNetExampleTest {

  @Test
  void reachesNinetyEightAndAHalfPercentOnTheTestSet() throws IOException {
    TrainingReport report = LeNetExample.train(SharedData.folder("mnist", "MNIST's IDX files"), 42, 4);
    double accuracy = report.validation().accuracy();
    assertTrue(accuracy >= 0.985, "MNIST test accuracy " + accuracy + " is below 0.985");
  }
}
