package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.testing.LogisticModel;
import dev.annonet.testing.SoftmaxModel;
import dev.annonet.testing.SquaredErrorModel;
import dev.annonet.testing.Synthetic;
import dev.annonet.testing.TestSgd;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

  // Actual 0 0 0 0 1 1 1 2 2 2; predicted 0 0 1 2 1 1 0 2 2 1.
  private static final int[] ACTUAL = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
  private static final int[] PREDICTED = {0, 0, 1, 2, 1, 1, 0, 2, 2, 1};

  @Test
  void countsPrecisionAndRecallByHand() {
    ConfusionMatrix c = ConfusionMatrix.of(3, ACTUAL, PREDICTED);
    long[][] expected = {{2, 1, 1}, {1, 2, 0}, {0, 1, 2}};
    for (int a = 0; a < 3; a++) {
      for (int p = 0; p < 3; p++) {
        assertEquals(expected[a][p], c.count(a, p), a + " predicted as " + p);
      }
    }
    assertEquals(10, c.total());
    assertEquals(6, c.correct());
    assertEquals(0.6, c.accuracy());
    // Class 0: 2 of the 3 predicted 0 are 0; 2 of the 4 actual 0 are found.
    assertEquals(2.0 / 3, c.precision(0));
    assertEquals(0.5, c.recall(0));
    assertEquals(0.5, c.precision(1));
    assertEquals(2.0 / 3, c.recall(1));
    assertEquals(2.0 / 3, c.precision(2));
    assertEquals(2.0 / 3, c.recall(2));
    assertEquals(4, c.support(0));
    assertEquals(4, c.predictedAs(1));
  }

  @Test
  void readableTable() {
    String expected = String.join("\n",
        "confusion matrix of 10 samples (rows: actual class, columns: predicted), accuracy 60.0%",
        "actual         0      1      2 recall",
        "0              2      1      1  50.0%",
        "1              1      2      0  66.7%",
        "2              0      1      2  66.7%",
        "precision  66.7%  50.0%  66.7%",
        "");
    assertEquals(expected, ConfusionMatrix.of(3, ACTUAL, PREDICTED).toString());
  }

  @Test
  void undefinedSharesAreNanAndDashes() {
    // Class 2 never occurs and is never predicted.
    ConfusionMatrix c = ConfusionMatrix.of(3, new int[] {0, 1}, new int[] {0, 0});
    assertTrue(Double.isNaN(c.precision(2)) && Double.isNaN(c.recall(2)));
    assertTrue(Double.isNaN(c.precision(1)));
    assertEquals(0.0, c.recall(1));
    assertTrue(c.toString().contains("2              0      0      0      -"), c.toString());
  }

  @Test
  void fromAModelMatchesArgmaxAndTheTrainersAccuracy() {
    Dataset data = Synthetic.separable(2500, 4, 3, 1);
    Model m = new SoftmaxModel(4, 3);
    m.initialize(1);
    TrainingReport r = Trainer.of(m).optimizer(new TestSgd(0.3f)).batchSize(64).epochs(2)
        .validation(data).quiet().fit(data);
    m.setTraining(true);
    ConfusionMatrix c = ConfusionMatrix.of(m, data);
    assertTrue(m.isTraining(), "the model's mode is restored");
    long[][] counts = new long[3][3];
    for (int i = 0; i < data.size(); i++) {
      float[] p = m.predict(data.row(i));
      int best = 0;
      for (int k = 1; k < 3; k++) {
        best = p[k] > p[best] ? k : best;
      }
      counts[data.label(i)][best]++;
    }
    for (int a = 0; a < 3; a++) {
      for (int p = 0; p < 3; p++) {
        assertEquals(counts[a][p], c.count(a, p));
      }
    }
    assertEquals(2500, c.total());
    assertEquals(r.validation().accuracy(), c.accuracy());
    assertTrue(c.accuracy() < 1, "some errors, so the off-diagonal counts are exercised");
  }

  @Test
  void binaryModelsThresholdAtOneHalf() {
    Dataset data = Synthetic.separable(300, 3, 2, 4);
    Model m = new LogisticModel(3);
    m.initialize(4);
    m.parameters()[3] = 0.3f;
    ConfusionMatrix c = ConfusionMatrix.of(m, data);
    assertEquals(2, c.classes());
    long[][] counts = new long[2][2];
    for (int i = 0; i < data.size(); i++) {
      counts[data.label(i)][m.predict(data.row(i))[0] > 0.5f ? 1 : 0]++;
    }
    for (int a = 0; a < 2; a++) {
      for (int p = 0; p < 2; p++) {
        assertEquals(counts[a][p], c.count(a, p));
      }
    }
  }

  @Test
  void refusals() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfusionMatrix.of(new SquaredErrorModel(3, 1), Synthetic.linear(5,
            new float[][] {{1, 1, 1}}, new float[1], 1)));
    assertEquals("a confusion matrix needs a classifier, but SquaredErrorModel is a regression "
        + "network: use the mse and mae of the trainer's Metrics instead", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ConfusionMatrix.of(new SoftmaxModel(3, 2), Synthetic.separable(5, 3, 3, 1)));
    assertTrue(e.getMessage().matches("sample \\d+ has class 2 but the matrix has classes 0..1: "
        + "re-encode the labels or give the network more outputs"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ConfusionMatrix.of(2, new int[] {0, 1}, new int[] {0}));
    assertEquals("there are 2 actual labels but 1 predictions: give one prediction per sample",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ConfusionMatrix.of(new SoftmaxModel(4, 3), Synthetic.separable(5, 3, 3, 1)));
    assertEquals("the network takes 4 inputs per sample but the dataset rows have 3 values",
        e.getMessage());
  }
}
