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

/** Metrics.of: a model's metrics on a data set, the ones the trainer reports, by hand. */
class MetricsTest {

  @Test
  void classifierMetricsAreTheTrainersValidationMetricsAndArgmaxAccuracy() {
    // 2500 rows: more than one evaluation chunk of 1024, so the chunks' losses are combined.
    Dataset data = Synthetic.separable(2500, 4, 3, 1);
    Model m = new SoftmaxModel(4, 3);
    m.initialize(1);
    TrainingReport r = Trainer.of(m).optimizer(new TestSgd(0.3f)).batchSize(64).epochs(2)
        .validation(data).quiet().fit(data);
    m.setTraining(true);
    Metrics metrics = Metrics.of(m, data);
    assertTrue(m.isTraining(), "the model's mode is restored");
    assertEquals(r.validation(), metrics);

    int correct = 0;
    double loss = 0;
    for (int i = 0; i < data.size(); i++) {
      float[] p = m.predict(data.row(i));
      correct += Metrics.argmax(p, 0, 3) == data.label(i) ? 1 : 0;
      loss -= Math.log(p[data.label(i)]);
    }
    assertEquals((double) correct / data.size(), metrics.accuracy());
    assertEquals(loss / data.size(), metrics.loss(), 1e-5);
    assertTrue(Double.isNaN(metrics.mse()) && Double.isNaN(metrics.mae()));
  }

  @Test
  void regressionMetricsAreMeanSquaredAndAbsoluteErrors() {
    Dataset data = Synthetic.linear(50, new float[][] {{1, -2}, {0.5f, 3}},
        new float[] {0.1f, -0.2f}, 3);
    Model m = new SquaredErrorModel(2, 2);
    m.initialize(5);
    Metrics metrics = Metrics.of(m, data);
    double squares = 0;
    double absolutes = 0;
    for (int i = 0; i < data.size(); i++) {
      float[] p = m.predict(data.row(i));
      for (int k = 0; k < 2; k++) {
        double e = p[k] - data.target(i, k);
        squares += e * e;
        absolutes += Math.abs(e);
      }
    }
    assertEquals(squares / 100, metrics.mse(), 1e-6 * metrics.mse());
    assertEquals(absolutes / 100, metrics.mae(), 1e-6 * metrics.mae());
    assertTrue(Double.isNaN(metrics.accuracy()));
    assertTrue(metrics.loss() > 0);
  }

  @Test
  void binaryAccuracyThresholdsAtOneHalf() {
    Dataset data = Synthetic.separable(300, 3, 2, 4);
    Model m = new LogisticModel(3);
    m.initialize(4);
    int correct = 0;
    for (int i = 0; i < data.size(); i++) {
      correct += (m.predict(data.row(i))[0] > 0.5f ? 1 : 0) == data.label(i) ? 1 : 0;
    }
    assertEquals(correct / 300.0, Metrics.of(m, data).accuracy());
  }

  @Test
  void dataThatDoesNotFitIsRefusedWithTheFix() {
    Model m = new SoftmaxModel(4, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Metrics.of(m, Synthetic.separable(10, 5, 3, 1)));
    assertTrue(e.getMessage().startsWith("the network takes 4 inputs per sample but the "
        + "dataset rows have 5 values"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Metrics.of(m, Dataset.classification(new float[][] {{1, 2, 3, 4}}, new int[] {4})));
    assertTrue(e.getMessage().contains("but the network has 3 classes"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Metrics.of(null, null));
  }
}
