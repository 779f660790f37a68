package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.io.SafeTensors;
import dev.annonet.optim.Momentum;
import dev.annonet.optim.Optimizer;
import dev.annonet.optim.Sgd;
import dev.annonet.testing.InstrumentedModel;
import dev.annonet.testing.SquaredErrorModel;
import dev.annonet.testing.Synthetic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints together with early stopping and divergence: a run killed and resumed stops,
 * restores and reports exactly as an uninterrupted one; the last checkpoint of a run holds the
 * parameters the model is left with; a run that stopped stays stopped with the same report.
 */
class StoppedResumeTest {

  private static final float[][] W = {{1.5f, -2f, 0.5f}, {0.25f, 1f, -1f}};
  private static final float[] B = {0.3f, -0.7f};
  /** Half of W: a model moving from 0 towards W passes the validation optimum on the way. */
  private static final float[][] HALF_W = {{0.75f, -1f, 0.25f}, {0.125f, 0.5f, -0.5f}};
  private static final Dataset TRAIN = Synthetic.linear(200, W, B, 1);
  private static final Dataset VALID = Synthetic.linear(100, HALF_W, B, 2);
  private static final int PATIENCE = 3;

  private static InstrumentedModel model(long seed) {
    InstrumentedModel m = new InstrumentedModel(new SquaredErrorModel(3, 2));
    m.initialize(seed);
    return m;
  }

  private static Optimizer momentum() {
    return Momentum.heavyBall(0.5).lr(0.01f);
  }

  private static Trainer stopping(Model model, Optimizer optimizer, int epochs) {
    return Trainer.of(model).optimizer(optimizer).batchSize(20).epochs(epochs).seed(3)
        .validation(VALID).earlyStopping(Metric.MSE, PATIENCE).quiet();
  }

  /** Thrown by a callback to simulate a crash in the middle of an epoch. */
  private static final class Crash extends RuntimeException {
    Crash() {
      super("simulated crash");
    }
  }

  private static Callback crashIn(int epoch) {
    return new Callback() {
      @Override
      public void afterBatch(int e, int batch, int samples, double loss) {
        if (e == epoch && batch == 2) {
          throw new Crash();
        }
      }

      @Override
      public boolean afterEpoch(EpochRecord record, Model model) {
        return false;
      }
    };
  }

  /** Everything of two runs but the wall-clock times, bit for bit. */
  private static void assertSameEnd(TrainingReport expected, InstrumentedModel a, Optimizer oa,
      TrainingReport actual, InstrumentedModel b, Optimizer ob) {
    ResumeTest.assertSameRun(expected, a, oa, actual, b, ob);
    assertEquals(a.passes(), b.passes(), "the steps buffer");
    assertEquals(expected.bestEpoch(), actual.bestEpoch(), "best epoch");
    assertEquals(expected.message(), actual.message(), "report message");
    assertEquals(expected.validation(), actual.validation(), "final validation metrics");
  }

  private static Checkpoint read(Path file) {
    try {
      return Checkpoint.read(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The flat parameters of a checkpoint's tensors ({@code linear.weight}, {@code .bias}). */
  private static float[] parameters(Map<String, SafeTensors.Tensor> tensors) {
    List<Float> values = new ArrayList<>();
    for (String name : List.of("linear.weight", "linear.bias")) {
      for (float v : tensors.get(name).data()) {
        values.add(v);
      }
    }
    float[] flat = new float[values.size()];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = values.get(i);
    }
    return flat;
  }

  /**
   * Killed in the epoch before the best one ({@code -1}), and two epochs after it, between the
   * best epoch and the stop, with the patience counter at 1 ({@code 2}).
   */
  @ParameterizedTest(name = "killed in the best epoch + {0}")
  @ValueSource(ints = {-1, 2})
  void earlyStoppingResumedBeforeOrAfterTheBestEpochEndsAsAnUninterruptedRun(int offset,
      @TempDir Path dir) {
    InstrumentedModel a = model(1);
    Optimizer oa = momentum();
    TrainingReport expected = stopping(a, oa, 200).fit(TRAIN);
    int best = expected.bestEpoch();
    assertEquals(StopReason.EARLY_STOPPING, expected.stopReason(), expected.toString());
    assertEquals(best + PATIENCE, expected.epochs());
    assertTrue(best >= 3, "the best epoch leaves room to crash before it: " + best);
    assertEquals(10f * best, a.passes(), "the model holds the best epoch's buffers");

    int crash = best + offset;
    Path file = dir.resolve("run.ckpt");
    assertThrows(Crash.class, () -> stopping(model(1), momentum(), 200)
        .checkpointEvery(1, file).callback(crashIn(crash)).fit(TRAIN));
    Checkpoint saved = read(file);
    assertEquals(crash - 1, saved.progress().epoch());
    int bestSoFar = crash > best ? best : crash - 1;
    assertEquals(bestSoFar, saved.best().epoch(), "the checkpoint's best epoch");
    assertEquals("validation mse, patience 3", saved.best().setting());

    InstrumentedModel b = model(77);
    Optimizer ob = momentum();
    TrainingReport actual = stopping(b, ob, 200).checkpointEvery(1, file).resumeFrom(file)
        .fit(TRAIN);
    assertSameEnd(expected, a, oa, actual, b, ob);

    // The last checkpoint holds what the model is left with: the best epoch's parameters.
    Checkpoint end = read(file);
    assertEquals(StopReason.EARLY_STOPPING, end.progress().stopReason());
    assertEquals(expected.message(), end.progress().stopMessage());
    assertArrayEquals(a.parameters(), parameters(end.model()));
    assertArrayEquals(new float[] {10f * best}, end.model().get("steps").data());
    assertArrayEquals(a.parameters(), parameters(end.best().model()));
    assertTrue(end.lastEpoch().isEmpty());

    // Resumed once more, the stopped run stays stopped and reports the same.
    InstrumentedModel c = model(78);
    Optimizer oc = momentum();
    TrainingReport again = stopping(c, oc, 200).resumeFrom(file).fit(TRAIN);
    assertSameEnd(expected, a, oa, again, c, oc);
  }

  @Test
  void aRunThatRanAllEpochsAndWentBackToItsBestCanBeExtended(@TempDir Path dir) {
    InstrumentedModel a = model(1);
    Optimizer oa = momentum();
    TrainingReport expected = stopping(a, oa, 200).fit(TRAIN);
    int best = expected.bestEpoch();

    // A first job runs past the best epoch and ends there, back at the best epoch.
    Path file = dir.resolve("run.ckpt");
    InstrumentedModel first = model(1);
    TrainingReport shorter = stopping(first, momentum(), best + 1).checkpointEvery(50, file)
        .fit(TRAIN);
    assertEquals(StopReason.MAX_EPOCHS, shorter.stopReason());
    assertEquals(best, shorter.bestEpoch());
    Checkpoint end = read(file);
    assertArrayEquals(first.parameters(), parameters(end.model()), "what the model is left with");
    assertTrue(!java.util.Arrays.equals(parameters(end.model()), parameters(end.lastEpoch())));

    // Resumed with the same epochs it reports the same; with more it goes on from the last one.
    InstrumentedModel same = model(5);
    Optimizer os = momentum();
    TrainingReport again = stopping(same, os, best + 1).resumeFrom(file).fit(TRAIN);
    assertEquals(shorter.message(), again.message());
    assertEquals(shorter.bestEpoch(), again.bestEpoch());
    assertArrayEquals(first.parameters(), same.parameters());

    InstrumentedModel b = model(6);
    Optimizer ob = momentum();
    TrainingReport actual = stopping(b, ob, 200).resumeFrom(file).fit(TRAIN);
    assertSameEnd(expected, a, oa, actual, b, ob);
  }

  @Test
  void aCheckpointWithOtherEarlyStoppingIsRefused(@TempDir Path dir) {
    Path file = dir.resolve("run.ckpt");
    stopping(model(1), momentum(), 4).checkpointEvery(1, file).fit(TRAIN);
    UncheckedIOException other = assertThrows(UncheckedIOException.class,
        () -> Trainer.of(model(2)).optimizer(momentum()).batchSize(20).epochs(8).seed(3)
            .validation(VALID).earlyStopping(Metric.LOSS, 3).quiet().resumeFrom(file)
            .fit(TRAIN));
    assertTrue(other.getMessage().contains("it was written with early stopping on validation"
        + " mse, patience 3, this trainer stops early on validation loss, patience 3"),
        other.getMessage());
    UncheckedIOException none = assertThrows(UncheckedIOException.class,
        () -> Trainer.of(model(2)).optimizer(momentum()).batchSize(20).epochs(8).seed(3)
            .validation(VALID).quiet().resumeFrom(file).fit(TRAIN));
    assertTrue(none.getMessage().contains("it was written with early stopping on validation"
        + " mse, patience 3, this trainer has none"), none.getMessage());
  }

  /** Copies of the parameters after every epoch. */
  private static final class Recorder implements Callback {
    final List<float[]> parameters = new ArrayList<>();
    int batches;

    @Override
    public void afterBatch(int epoch, int batch, int samples, double loss) {
      batches++;
    }

    @Override
    public boolean afterEpoch(EpochRecord record, Model model) {
      parameters.add(model.parameters().clone());
      return false;
    }
  }

  private static Trainer diverging(Model model, Optimizer optimizer) {
    return Trainer.of(model).optimizer(optimizer).batchSize(10).epochs(50).quiet();
  }

  @Test
  void aDivergedRunCheckpointsItsLastFiniteEpochAndStaysStopped(@TempDir Path dir) {
    Dataset data = Synthetic.linear(100, W, B, 12);
    Path file = dir.resolve("run.ckpt");
    InstrumentedModel a = model(1);
    Optimizer oa = Sgd.defaults().lr(3f);
    Recorder recorder = new Recorder();
    TrainingReport diverged = diverging(a, oa).checkpointEvery(1, file).callback(recorder)
        .fit(data);
    assertEquals(StopReason.DIVERGED, diverged.stopReason(), diverged.toString());
    int finite = diverged.epochs();
    assertTrue(finite >= 2, "diverges after a few finite epochs: " + finite);

    Checkpoint end = read(file);
    assertEquals(StopReason.DIVERGED, end.progress().stopReason());
    assertEquals(finite, end.progress().epoch());
    assertEquals(diverged.message(), end.progress().stopMessage());
    float[] saved = parameters(end.model());
    for (float v : saved) {
      assertTrue(Float.isFinite(v), "the checkpoint holds finite parameters");
    }
    assertArrayEquals(recorder.parameters.get(finite - 1), saved, "the last finite epoch's");
    assertArrayEquals(a.parameters(), saved);
    assertArrayEquals(new float[] {10f * finite}, end.model().get("steps").data());

    InstrumentedModel b = model(9);
    Optimizer ob = Sgd.defaults().lr(3f);
    Recorder none = new Recorder();
    TrainingReport again = diverging(b, ob).checkpointEvery(1, file).resumeFrom(file)
        .callback(none).fit(data);
    assertEquals(0, none.batches, "a stopped run takes no step");
    assertSameEnd(diverged, a, oa, again, b, ob);
    assertArrayEquals(saved, parameters(read(file).model()));
  }

  @Test
  void afterAResumeTheLastFiniteParametersAreTheResumedOnes(@TempDir Path dir) {
    Dataset data = Synthetic.linear(100, W, B, 12);
    InstrumentedModel a = model(1);
    Optimizer oa = Sgd.defaults().lr(3f);
    TrainingReport expected = diverging(a, oa).fit(data);
    int finite = expected.epochs();
    assertTrue(finite >= 2, "diverges after a few finite epochs: " + finite);

    // The first job ends with the last finite epoch; the resumed one diverges in its first.
    Path file = dir.resolve("run.ckpt");
    diverging(model(1), Sgd.defaults().lr(3f)).epochs(finite).checkpointEvery(1, file)
        .fit(data);
    assertEquals(finite, read(file).progress().epoch());
    InstrumentedModel b = model(9);
    Optimizer ob = Sgd.defaults().lr(3f);
    TrainingReport actual = diverging(b, ob).resumeFrom(file).fit(data);
    assertSameEnd(expected, a, oa, actual, b, ob);
    assertTrue(actual.message().contains("restored the parameters from the end of epoch "
        + finite), actual.message());
  }
}
