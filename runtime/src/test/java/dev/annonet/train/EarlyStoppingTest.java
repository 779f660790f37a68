package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.testing.InstrumentedModel;
import dev.annonet.testing.SoftmaxModel;
import dev.annonet.testing.SquaredErrorModel;
import dev.annonet.testing.Synthetic;
import dev.annonet.testing.TestSgd;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

  private static final float[][] W = {{1.5f, -2f, 0.5f}, {0.25f, 1f, -1f}};
  private static final float[] B = {0.3f, -0.7f};
  /** Half of W: a model moving from 0 towards W passes the validation optimum on the way. */
  private static final float[][] HALF_W = {{0.75f, -1f, 0.25f}, {0.125f, 0.5f, -0.5f}};

  private static EpochRecord record(int epoch, Metrics validation) {
    return new EpochRecord(epoch, 0, 0, 0, validation, 0);
  }

  @Test
  void lossMustFallAndPatienceCountsEpochsWithoutImprovement() {
    EarlyStopping stop = new EarlyStopping(Metric.LOSS, 2, new SquaredErrorModel(1, 1));
    double[] losses = {1.0, 0.5, 0.6, 0.4, 0.45, 0.4, 0.3};
    boolean[] expected = {false, false, false, false, false, true};
    int[] best = {1, 2, 2, 4, 4, 4};
    for (int e = 0; e < expected.length; e++) {
      boolean stops = stop.afterEpoch(record(e + 1, new Metrics(losses[e], 0, 0, 0)));
      assertEquals(expected[e], stops, "epoch " + (e + 1));
      assertEquals(best[e], stop.bestEpoch(), "epoch " + (e + 1));
    }
    assertEquals(0.4, stop.bestValue());
    assertEquals("validation loss has not improved for 2 epochs since epoch 4 (0.4000)",
        stop.describeStop());
  }

  @Test
  void accuracyMustRiseAndNanNeverImproves() {
    EarlyStopping stop = new EarlyStopping(Metric.ACCURACY, 3, new SoftmaxModel(1, 2));
    double[] accuracies = {Double.NaN, 0.5, 0.7, 0.7, 0.6, Double.NaN};
    int[] best = {0, 2, 3, 3, 3, 3};
    for (int e = 0; e < accuracies.length; e++) {
      boolean stops = stop.afterEpoch(record(e + 1, new Metrics(1, accuracies[e], 0, 0)));
      assertEquals(e == 5, stops, "epoch " + (e + 1));
      assertEquals(best[e], stop.bestEpoch(), "epoch " + (e + 1));
    }
  }

  @Test
  void metricsKnowTheirDirectionAndColumn() {
    Metrics m = new Metrics(1, 2, 3, 4);
    assertEquals(1, Metric.LOSS.of(m));
    assertEquals(2, Metric.ACCURACY.of(m));
    assertEquals(3, Metric.MSE.of(m));
    assertEquals(4, Metric.MAE.of(m));
    assertTrue(Metric.ACCURACY.improves(0.9, 0.8) && !Metric.ACCURACY.improves(0.8, 0.9));
    for (Metric lower : new Metric[] {Metric.LOSS, Metric.MSE, Metric.MAE}) {
      assertTrue(lower.improves(0.1, 0.2) && !lower.improves(0.2, 0.1), lower.toString());
      assertTrue(!lower.improves(0.2, 0.2) && !lower.improves(Double.NaN, 0.2));
    }
  }

  /** The parameters and the {@code steps} buffer after every epoch, copied by a callback. */
  private static final class Recorder implements Callback {
    final List<float[]> parameters = new ArrayList<>();
    final List<Float> passes = new ArrayList<>();

    @Override
    public boolean afterEpoch(EpochRecord record, Model model) {
      parameters.add(model.parameters().clone());
      passes.add(model.buffers().get("steps")[0]);
      return false;
    }
  }

  @Test
  void stopsAfterPatienceAndRestoresTheBestEpochExactly() {
    Dataset train = Synthetic.linear(200, W, B, 1);
    Dataset valid = Synthetic.linear(100, HALF_W, B, 2);
    InstrumentedModel m = new InstrumentedModel(new SquaredErrorModel(3, 2));
    Recorder recorder = new Recorder();
    int patience = 3;
    TrainingReport r = Trainer.of(m).optimizer(new TestSgd(0.02f)).batchSize(20).epochs(200)
        .validation(valid).earlyStopping(Metric.MSE, patience).callback(recorder).quiet()
        .fit(train);

    // The best epoch is the first minimum of the validation mse over the history.
    History h = r.history();
    int best = 1;
    for (int e = 2; e <= h.size(); e++) {
      best = h.get(e - 1).validation().mse() < h.get(best - 1).validation().mse() ? e : best;
    }
    assertTrue(best > 1, "the validation mse fell at first (best epoch " + best + ")");
    assertEquals(StopReason.EARLY_STOPPING, r.stopReason(), r.toString());
    assertEquals(best, r.bestEpoch());
    assertEquals(best + patience, h.size(), "stopped after patience epochs without improving");
    assertTrue(h.last().validation().mse() > h.get(best - 1).validation().mse());

    // Parameters and buffers are the best epoch's, bit for bit, not the last epoch's.
    assertArrayEquals(recorder.parameters.get(best - 1), m.parameters());
    assertEquals(recorder.passes.get(best - 1), m.passes());
    assertEquals(best * 10, m.passes(), "10 updates per epoch up to the best epoch");
    assertTrue(!java.util.Arrays.equals(recorder.parameters.get(h.size() - 1), m.parameters()));

    // The report's metrics are those of the restored model.
    assertEquals(h.get(best - 1).validation(), r.validation());
    float[] out = new float[valid.size() * 2];
    m.setTraining(false);
    m.predict(valid.features(), valid.size(), out);
    double squares = 0;
    float[] y = valid.targets();
    for (int k = 0; k < out.length; k++) {
      squares += ((double) out[k] - y[k]) * ((double) out[k] - y[k]);
    }
    assertEquals(squares / out.length, r.validation().mse(), 1e-12);
    assertEquals(m.loss(train.features(), train.targets(), train.size()), r.train().loss(),
        1e-6);
    assertEquals("validation mse has not improved for 3 epochs since epoch " + best + " ("
        + Metrics.format(h.get(best - 1).validation().mse()) + "); restored the parameters of "
        + "epoch " + best + ", the best by validation mse ("
        + Metrics.format(h.get(best - 1).validation().mse()) + ")", r.message());
  }

  @Test
  void restoresTheBestEpochAlsoWhenAllEpochsRun() {
    Dataset train = Synthetic.linear(200, W, B, 3);
    Dataset valid = Synthetic.linear(100, HALF_W, B, 4);
    Model m = new SquaredErrorModel(3, 2);
    Recorder recorder = new Recorder();
    TrainingReport r = Trainer.of(new InstrumentedModel(m)).optimizer(new TestSgd(0.02f))
        .batchSize(20).epochs(12).validation(valid).earlyStopping(Metric.LOSS, 100)
        .callback(recorder).quiet().fit(train);
    assertEquals(StopReason.MAX_EPOCHS, r.stopReason());
    assertEquals(12, r.epochs());
    assertTrue(r.bestEpoch() >= 1 && r.bestEpoch() < 12, "best " + r.bestEpoch());
    assertArrayEquals(recorder.parameters.get(r.bestEpoch() - 1), m.parameters());
    assertTrue(r.message().startsWith("ran all 12 epochs; restored the parameters of epoch "
        + r.bestEpoch()), r.message());
  }

  @Test
  void accuracyOnAHeldOutSplitPicksTheMostAccurateEpoch() {
    Dataset data = Synthetic.separable(400, 5, 3, 5);
    Model m = new SoftmaxModel(5, 3);
    m.initialize(5);
    Recorder recorder = new Recorder();
    TrainingReport r = Trainer.of(new InstrumentedModel(m)).optimizer(new TestSgd(2f))
        .batchSize(8).epochs(25).validationSplit(0.25).earlyStopping(Metric.ACCURACY, 4)
        .callback(recorder).quiet().fit(data);
    History h = r.history();
    double best = -1;
    int bestEpoch = 0;
    for (EpochRecord e : h) {
      if (e.validation().accuracy() > best) {
        best = e.validation().accuracy();
        bestEpoch = e.epoch();
      }
    }
    assertEquals(bestEpoch, r.bestEpoch());
    assertEquals(best, r.validation().accuracy());
    assertArrayEquals(recorder.parameters.get(bestEpoch - 1), m.parameters());
    assertEquals(best, ConfusionMatrix.of(m, data.stratifiedSplit(0.25, 42).test()).accuracy());
  }
}
