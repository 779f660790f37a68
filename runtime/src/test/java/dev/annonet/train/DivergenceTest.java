package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.testing.InstrumentedModel;
import dev.annonet.testing.SquaredErrorModel;
import dev.annonet.testing.Synthetic;
import dev.annonet.testing.TestSgd;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DivergenceTest {

  private static final float[][] W = {{1.5f, -2f, 0.5f}, {0.25f, 1f, -1f}};
  private static final float[] B = {0.3f, -0.7f};

  /** Copies of the parameters and the steps buffer after every epoch. */
  private static final class Recorder implements Callback {
    final List<float[]> parameters = new ArrayList<>();
    final List<Float> passes = new ArrayList<>();
    int batches;

    @Override
    public void afterBatch(int epoch, int batch, int samples, double loss) {
      assertTrue(Double.isFinite(loss), "a hook never sees a non-finite loss");
      batches++;
    }

    @Override
    public boolean afterEpoch(EpochRecord record, Model model) {
      parameters.add(model.parameters().clone());
      passes.add(model.buffers().get("steps")[0]);
      return false;
    }
  }

  private static InstrumentedModel model(long seed) {
    InstrumentedModel m = new InstrumentedModel(new SquaredErrorModel(3, 2));
    m.initialize(seed);
    return m;
  }

  @Test
  void hugeStepSizeStopsAndRestoresTheLastFiniteEpoch() {
    Dataset data = Synthetic.linear(100, W, B, 12);
    InstrumentedModel m = model(1);
    Recorder recorder = new Recorder();
    TrainingReport r = Trainer.of(m).optimizer(new TestSgd(3f)).batchSize(10).epochs(50)
        .callback(recorder).quiet().fit(data);
    assertEquals(StopReason.DIVERGED, r.stopReason());
    int finite = r.epochs();
    assertTrue(finite >= 2, "diverges after a few finite epochs: " + finite);
    assertEquals(finite, recorder.parameters.size());
    // The parameters and buffers are those at the end of the last finite epoch, exactly.
    assertArrayEquals(recorder.parameters.get(finite - 1), m.parameters());
    assertEquals(recorder.passes.get(finite - 1), m.passes());
    assertEquals(10f * finite, m.passes());
    // The failing update was not applied and no hook saw its loss.
    int step = (int) (r.updates() - 10L * finite) + 1;
    assertEquals(r.updates(), recorder.batches);
    assertEquals("the minibatch loss became Infinity at epoch " + (finite + 1) + ", step " + step
        + " of 10 (step size 3.0000): restored the parameters from the end of epoch " + finite
        + "; lower the step size or bound the updates with clipGradientNorm(1.0)", r.message());
    assertTrue(r.toString().contains(r.message()));
    for (EpochRecord e : r.history()) {
      assertTrue(Double.isFinite(e.trainLoss()) && Double.isFinite(e.gradientNorm()));
    }
    assertEquals(m.loss(data.features(), data.targets(), data.size()), r.train().loss(),
        1e-6 * r.train().loss());
  }

  @Test
  void divergenceInTheFirstEpochRestoresTheInitialParameters() {
    InstrumentedModel m = model(2);
    float[] initial = m.parameters().clone();
    TrainingReport r = Trainer.of(m).optimizer(new TestSgd(1e6f)).batchSize(10).epochs(50)
        .quiet().fit(Synthetic.linear(100, W, B, 13));
    assertEquals(StopReason.DIVERGED, r.stopReason());
    assertEquals(0, r.epochs());
    assertArrayEquals(initial, m.parameters());
    assertEquals(0, m.passes());
    assertTrue(r.message().startsWith("the minibatch loss became "), r.message());
    assertTrue(r.message().contains(" at epoch 1, step "), r.message());
    assertTrue(r.message().contains("restored the initial parameters; lower the step size"));
    assertEquals(Metrics.NONE, r.validation());
  }

  @Test
  void aNonFiniteLossAfterTheEpochIsCaughtByTheEpochMeasurement() {
    // One full-data update per epoch: its loss is finite, but it throws the parameters so far
    // that the loss measured after the epoch overflows.
    InstrumentedModel m = model(3);
    float[] initial = m.parameters().clone();
    TrainingReport r = Trainer.of(m).optimizer(new TestSgd(1e20f)).batchSize(1000).epochs(5)
        .quiet().fit(Synthetic.linear(100, W, B, 14));
    assertEquals(StopReason.DIVERGED, r.stopReason());
    assertEquals(1, r.updates());
    assertArrayEquals(initial, m.parameters());
    assertEquals("the training loss became Infinity after epoch 1 (its last step: 1 of 1) (step "
        + "size 1.000e+20): restored the initial parameters; lower the step size or bound the "
        + "updates with clipGradientNorm(1.0)", r.message());
  }

  @Test
  void aNonFiniteGradientIsCaughtAtItsStepWhenClippingAndAtTheNextOtherwise() {
    Dataset data = Synthetic.linear(100, W, B, 15);
    for (boolean clipping : new boolean[] {true, false}) {
      // Training pass 13 is epoch 2, step 3.
      InstrumentedModel m = model(4).poisonGradientOnPass(13);
      Recorder recorder = new Recorder();
      Trainer trainer = Trainer.of(m).optimizer(new TestSgd(0.01f)).batchSize(10).epochs(5)
          .callback(recorder).quiet();
      if (clipping) {
        trainer.clipGradientNorm(1e9);
      }
      TrainingReport r = trainer.fit(data);
      assertEquals(StopReason.DIVERGED, r.stopReason());
      assertEquals(1, r.epochs());
      assertArrayEquals(recorder.parameters.get(0), m.parameters());
      assertEquals(10, m.passes());
      String expected = clipping
          ? "the minibatch gradient norm became NaN at epoch 2, step 3 of 10 (step size 0.0100): "
              + "restored the parameters from the end of epoch 1; lower the step size or the "
              + "clipping norm"
          : "the minibatch loss became NaN at epoch 2, step 4 of 10 (step size 0.0100): "
              + "restored the parameters from the end of epoch 1; lower the step size or bound "
              + "the updates with clipGradientNorm(1.0)";
      assertEquals(expected, r.message());
      assertEquals(clipping ? 12 : 13, r.updates());
    }
  }

  @Test
  void clippingKeepsTheTooLargeStepFinite() {
    Dataset data = Synthetic.linear(100, W, B, 12);
    TrainingReport r = Trainer.of(model(1)).optimizer(new TestSgd(3f)).batchSize(10).epochs(20)
        .clipGradientNorm(1.0).quiet().fit(data);
    assertEquals(StopReason.MAX_EPOCHS, r.stopReason(), r.toString());
    assertEquals(20, r.epochs());
    assertTrue(Double.isFinite(r.train().loss()));
  }
}
