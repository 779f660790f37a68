package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.testing.LogisticModel;
import dev.annonet.testing.SoftmaxModel;
import dev.annonet.testing.SquaredErrorModel;
import dev.annonet.testing.Synthetic;
import dev.annonet.testing.TestLineSearch;
import dev.annonet.testing.TestSgd;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {

  private static final float[][] W = {{1.5f, -2f, 0.5f}, {0.25f, 1f, -1f}};
  private static final float[] B = {0.3f, -0.7f};

  private static SquaredErrorModel regression(long seed) {
    SquaredErrorModel m = new SquaredErrorModel(3, 2);
    m.initialize(seed);
    return m;
  }

  @Test
  void sameSeedGivesBitIdenticalRuns() {
    Dataset data = Synthetic.linear(157, W, B, 1);
    Model a = regression(5);
    Model b = a.copy();
    TrainingReport ra = Trainer.of(a).optimizer(new TestSgd(0.05f)).batchSize(16).epochs(5)
        .seed(9).quiet().fit(data);
    TrainingReport rb = Trainer.of(b).optimizer(new TestSgd(0.05f)).batchSize(16).epochs(5)
        .seed(9).quiet().fit(data);
    assertArrayEquals(a.parameters(), b.parameters());
    assertEquals(ra.history().size(), rb.history().size());
    for (int e = 0; e < ra.history().size(); e++) {
      EpochRecord x = ra.history().get(e);
      EpochRecord y = rb.history().get(e);
      assertEquals(x.trainLoss(), y.trainLoss());
      assertEquals(x.gradientNorm(), y.gradientNorm());
      assertEquals(x.stepSize(), y.stepSize());
    }

    // A different shuffle seed takes a different path.
    Model c = regression(5);
    Trainer.of(c).optimizer(new TestSgd(0.05f)).batchSize(16).epochs(5).seed(10).quiet()
        .fit(data);
    assertNotEquals(a.parameters()[0], c.parameters()[0]);
  }

  @Test
  void linearRegressionRecoversKnownWeights() {
    Dataset data = Synthetic.linear(300, W, B, 2);
    Model m = regression(3);
    TrainingReport r = Trainer.of(m).optimizer(new TestSgd(0.1f)).batchSize(10).epochs(100)
        .quiet().fit(data);
    float[] p = m.parameters();
    for (int o = 0; o < 2; o++) {
      for (int i = 0; i < 3; i++) {
        assertEquals(W[o][i], p[o * 3 + i], 1e-4, "w[" + o + "][" + i + "]");
      }
      assertEquals(B[o], p[6 + o], 1e-4, "b[" + o + "]");
    }
    assertTrue(r.train().mse() < 1e-8, r.toString());
    assertEquals(StopReason.MAX_EPOCHS, r.stopReason());
  }

  @Test
  void eachEpochTakesCeilNOverPUpdates() {
    Dataset data = Synthetic.linear(103, W, B, 3);
    TestSgd sgd = new TestSgd(0.01f);
    List<Long> iterations = new ArrayList<>();
    List<Integer> epochs = new ArrayList<>();
    TrainingReport r = Trainer.of(regression(1)).optimizer(sgd).batchSize(10).epochs(3)
        .schedule((a, epoch, iteration) -> {
          epochs.add(epoch);
          iterations.add(iteration);
          return a;
        }).quiet().fit(data);
    assertEquals(33, sgd.steps());
    assertEquals(33, r.updates());
    for (int k = 0; k < 33; k++) {
      assertEquals(k, iterations.get(k));
      assertEquals(k / 11, epochs.get(k));
    }

    // A batch larger than the data set is clamped: one update per epoch.
    TestSgd whole = new TestSgd(0.01f);
    Trainer.of(regression(1)).optimizer(whole).batchSize(1000).epochs(4).quiet().fit(data);
    assertEquals(4, whole.steps());
  }

  @Test
  void stopsWhenTheGradientNormFallsBelowTolerance() {
    Dataset data = Synthetic.linear(200, W, B, 4);
    TrainingReport r = Trainer.of(regression(2)).optimizer(new TestSgd(0.1f)).batchSize(20)
        .epochs(10_000).tolerance(1e-3).quiet().fit(data);
    assertEquals(StopReason.GRADIENT_NORM, r.stopReason());
    History h = r.history();
    assertTrue(h.size() > 1 && h.size() < 10_000, "epochs " + h.size());
    assertTrue(h.last().gradientNorm() < 1e-3);
    assertTrue(h.get(h.size() - 2).gradientNorm() >= 1e-3);
  }

  @Test
  void gradientNormAndLossCoverTheWholeDatasetAcrossChunks() {
    // More rows than one evaluation chunk, so the weighted chunk sums are exercised.
    int n = Run.EVALUATION_CHUNK * 2 + 37;
    Dataset data = Synthetic.linear(n, W, B, 5);
    Model m = regression(6);
    TrainingReport r = Trainer.of(m).optimizer(new TestSgd(0.001f)).batchSize(64).epochs(1)
        .quiet().fit(data);

    Model check = m.copy();
    check.reserve(n);
    double loss = check.lossAndGradient(data.features(), data.targets(), n);
    double squares = 0;
    for (float g : check.gradients()) {
      squares += (double) g * g;
    }
    EpochRecord e = r.history().get(0);
    assertEquals(loss, e.trainLoss(), 1e-5 * loss);
    assertEquals(Math.sqrt(squares), e.gradientNorm(), 1e-4 * Math.sqrt(squares));
    assertEquals(loss, r.train().loss(), 1e-5 * loss);
  }

  @Test
  void classifierLearnsAndValidationAccuracyIsArgmax() {
    Dataset.Split split = Synthetic.separable(600, 4, 3, 7).split(0.25, 1);
    Model m = new SoftmaxModel(4, 3);
    m.initialize(1);
    TrainingReport r = Trainer.of(m).optimizer(new TestSgd(0.5f)).batchSize(32).epochs(30)
        .validation(split.test()).quiet().fit(split.train());

    Dataset test = split.test();
    int correct = 0;
    for (int i = 0; i < test.size(); i++) {
      float[] p = m.predict(test.row(i));
      int best = 0;
      for (int k = 1; k < p.length; k++) {
        best = p[k] > p[best] ? k : best;
      }
      correct += best == test.label(i) ? 1 : 0;
    }
    assertEquals((double) correct / test.size(), r.validation().accuracy());
    assertEquals(r.validation(), r.history().last().validation());
    assertTrue(r.validation().accuracy() > 0.9, r.toString());
    assertTrue(Double.isNaN(r.validation().mse()));
    assertEquals(m.loss(test.features(), test.targets(), test.size()), r.validation().loss(),
        1e-6);
  }

  @Test
  void regressionMetricsAreMseAndMae() {
    Dataset train = Synthetic.linear(100, W, B, 8);
    Dataset valid = Synthetic.linear(40, W, B, 9);
    Model m = regression(4);
    TrainingReport r = Trainer.of(m).optimizer(new TestSgd(0.05f)).batchSize(8).epochs(2)
        .validation(valid).quiet().fit(train);
    float[] out = new float[valid.size() * 2];
    m.predict(valid.features(), valid.size(), out);
    float[] y = valid.targets();
    double squares = 0;
    double absolutes = 0;
    for (int k = 0; k < out.length; k++) {
      squares += ((double) out[k] - y[k]) * ((double) out[k] - y[k]);
      absolutes += Math.abs((double) out[k] - y[k]);
    }
    assertEquals(squares / out.length, r.validation().mse(), 1e-9);
    assertEquals(absolutes / out.length, r.validation().mae(), 1e-9);
    assertTrue(Double.isNaN(r.validation().accuracy()));
  }

  @Test
  void binaryAccuracyThresholdsAtOneHalf() {
    Dataset data = Synthetic.separable(300, 3, 2, 10);
    Model m = new LogisticModel(3);
    m.initialize(2);
    TrainingReport r = Trainer.of(m).optimizer(new TestSgd(1f)).batchSize(16).epochs(20)
        .validation(data).quiet().fit(data);
    int correct = 0;
    for (int i = 0; i < data.size(); i++) {
      correct += (m.predict(data.row(i))[0] > 0.5f) == (data.label(i) == 1) ? 1 : 0;
    }
    assertEquals((double) correct / data.size(), r.validation().accuracy());
    assertTrue(r.validation().accuracy() > 0.9, r.toString());
  }

  @Test
  void callbackCanStopAndSeesEveryEpoch() {
    List<Integer> seen = new ArrayList<>();
    TrainingReport r = Trainer.of(regression(1)).optimizer(new TestSgd(0.01f)).epochs(10)
        .callback((record, model) -> {
          seen.add(record.epoch());
          return record.epoch() == 3;
        }).quiet().fit(Synthetic.linear(50, W, B, 11));
    assertEquals(List.of(1, 2, 3), seen);
    assertEquals(StopReason.CALLBACK, r.stopReason());
    assertEquals(3, r.epochs());
  }

  @Test
  void fullBatchOptimizerGetsTheWholeDatasetObjective() {
    Dataset data = Synthetic.linear(2500, W, B, 13);
    Model m = regression(7);
    TestLineSearch gd = new TestLineSearch(4f);
    TrainingReport r = Trainer.of(m).optimizer(gd).batchSize(16).epochs(6).quiet().fit(data);
    assertEquals(6, gd.steps());
    assertEquals(6, r.updates());
    History h = r.history();
    for (int e = 1; e < h.size(); e++) {
      // Backtracking guarantees descent on the full objective.
      assertTrue(h.get(e).trainLoss() < h.get(e - 1).trainLoss(), "epoch " + (e + 1));
    }
    // The f(theta) passed to the last step was the full loss before it: epoch 5's loss.
    assertEquals(h.get(4).trainLoss(), gd.lastValueGiven(), 1e-5 * gd.lastValueGiven());
  }

  @Test
  void historyWritesCsv() {
    Dataset data = Synthetic.separable(100, 2, 2, 14);
    Model m = new SoftmaxModel(2, 2);
    TrainingReport r = Trainer.of(m).optimizer(new TestSgd(0.1f)).epochs(3).validation(data)
        .quiet().fit(data);
    String[] lines = r.history().toCsv().split("\n");
    assertEquals(4, lines.length);
    assertEquals(History.CSV_HEADER, lines[0]);
    for (int e = 0; e < 3; e++) {
      String[] f = lines[e + 1].split(",", -1);
      EpochRecord record = r.history().get(e);
      assertEquals(9, f.length);
      assertEquals(e + 1, Integer.parseInt(f[0]));
      assertEquals(record.trainLoss(), Double.parseDouble(f[1]));
      assertEquals(record.gradientNorm(), Double.parseDouble(f[2]));
      assertEquals(record.validation().accuracy(), Double.parseDouble(f[5]));
      assertEquals("", f[6], "mse does not apply to a classifier");
    }
  }

  @Test
  void batchHooksSeeEveryUpdateInOrder() {
    Dataset data = Synthetic.linear(103, W, B, 4);
    List<String> calls = new ArrayList<>();
    Callback hook = new Callback() {
      @Override
      public void beforeTraining(int epochs, int batchesPerEpoch, int samples) {
        calls.add("start " + epochs + " " + batchesPerEpoch + " " + samples);
      }

      @Override
      public void afterBatch(int epoch, int batch, int samples, double loss) {
        assertTrue(Double.isFinite(loss) && loss >= 0, "loss " + loss);
        calls.add(epoch + ":" + batch + ":" + samples);
      }

      @Override
      public boolean afterEpoch(EpochRecord record, Model model) {
        calls.add("end " + record.epoch());
        return false;
      }

      @Override
      public void afterTraining(TrainingReport report) {
        calls.add("done " + report.epochs() + " " + report.stopReason());
      }
    };
    Trainer.of(regression(2)).optimizer(new TestSgd(0.01f)).batchSize(10).epochs(2)
        .callback(hook).quiet().fit(data);
    List<String> expected = new ArrayList<>();
    expected.add("start 2 11 103");
    for (int e = 1; e <= 2; e++) {
      for (int b = 1; b <= 11; b++) {
        expected.add(e + ":" + b + ":" + (b == 11 ? 3 : 10));
      }
      expected.add("end " + e);
    }
    expected.add("done 2 MAX_EPOCHS");
    assertEquals(expected, calls);
  }
}
