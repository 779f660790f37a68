package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.optim.Averaging;
import dev.annonet.optim.Optimizer;
import dev.annonet.optim.Schedule;
import dev.annonet.optim.Sgd;
import dev.annonet.testing.SoftmaxModel;
import dev.annonet.testing.Synthetic;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Trainer#averageIterates}: the model ends with the average worked out from the recorded
 * iterates and steps, validation measures the average while training continues from the last
 * iterate, and checkpoints carry the average bit for bit.
 */
class AveragingTrainerTest {

  private static final int EPOCHS = 6;
  // 203 rows in batches of 16: 13 updates per epoch, the last one short.
  private static final Dataset TRAIN = Synthetic.separable(203, 4, 3, 1);
  private static final Dataset CHECK = Synthetic.separable(50, 4, 3, 2);
  private static final Schedule SCHEDULE = Schedule.inverseTime();

  private static Model model(long seed) {
    SoftmaxModel m = new SoftmaxModel(4, 3);
    m.initialize(seed);
    return m;
  }

  private static Trainer trainer(Model model, Optimizer optimizer, Averaging averaging) {
    return Trainer.of(model).optimizer(optimizer).schedule(SCHEDULE).batchSize(16)
        .epochs(EPOCHS).seed(7).validation(CHECK).averageIterates(averaging).quiet();
  }

  /** The parameters before each update, as a callback sees them after the previous one. */
  private static final class Iterates implements Callback {
    final List<float[]> points = new ArrayList<>();
    final Model model;

    Iterates(Model model) {
      this.model = model;
      points.add(model.parameters().clone());
    }

    @Override
    public void afterBatch(int epoch, int batch, int samples, double loss) {
      points.add(model.parameters().clone());
    }

    @Override
    public boolean afterEpoch(EpochRecord record, Model model) {
      return false;
    }

    /** {@code sum_j w_j theta_j / sum_j w_j} over the updates made, directly, in double. */
    float[] average(Averaging averaging, float lr) {
      int updates = points.size() - 1;
      double[] sum = new double[points.get(0).length];
      double weights = 0;
      for (int j = 0; j < updates; j++) {
        double w = averaging.isStepWeighted() ? SCHEDULE.stepSize(lr, 0, j)
            : j >= averaging.start() ? 1 : 0;
        weights += w;
        for (int i = 0; i < sum.length; i++) {
          sum[i] += w * points.get(j)[i];
        }
      }
      float[] mean = new float[sum.length];
      for (int i = 0; i < sum.length; i++) {
        mean[i] = (float) (sum[i] / weights);
      }
      return mean;
    }
  }

  private static void assertClose(float[] expected, float[] actual) {
    // The running update and the direct sum round differently in double (about 1e-16
    // relative); both are then rounded to float, so they agree to a float ulp or two.
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 2 * Math.ulp(Math.abs(expected[i])) + 1e-12,
          "parameter " + i);
    }
  }

  @Test
  void modelEndsWithTheStepWeightedAverageOfTheRecordedIterates() {
    Model m = model(3);
    Iterates iterates = new Iterates(m);
    TrainingReport report = trainer(m, Sgd.defaults().lr(0.5f), Averaging.stepWeighted())
        .callback(iterates).fit(TRAIN);
    assertEquals(EPOCHS * 13, iterates.points.size() - 1);
    assertClose(iterates.average(Averaging.stepWeighted(), 0.5f), m.parameters());
    float[] last = iterates.points.get(iterates.points.size() - 1);
    assertNotEquals(last[0], m.parameters()[0], "the model holds the average, not theta_T");

    // The history's training loss is the last iterate's; validation is the average's.
    Model atLast = model(3);
    System.arraycopy(last, 0, atLast.parameters(), 0, last.length);
    assertEquals(FullBatchObjective.of(atLast, TRAIN).value(atLast.parameters()),
        report.history().last().trainLoss(), 1e-6);
    assertEquals(FullBatchObjective.of(m, CHECK).value(m.parameters()),
        report.history().last().validation().loss(), 1e-6);
    assertEquals(report.history().last().validation(), report.validation());
  }

  @Test
  void modelEndsWithTheUniformAverageFromTheStartUpdate() {
    Model m = model(3);
    Iterates iterates = new Iterates(m);
    Averaging tail = Averaging.uniformFrom(40);
    trainer(m, Sgd.defaults().lr(0.5f), tail).callback(iterates).fit(TRAIN);
    assertClose(iterates.average(tail, 0.5f), m.parameters());
  }

  @Test
  void anAverageNotYetStartedLeavesTheLastIterate() {
    Model m = model(3);
    Iterates iterates = new Iterates(m);
    trainer(m, Sgd.defaults().lr(0.5f), Averaging.uniformFrom(1000)).callback(iterates)
        .fit(TRAIN);
    assertArrayEquals(iterates.points.get(iterates.points.size() - 1), m.parameters());
  }

  @Test
  void resumedRunAveragesOnBitForBit(@TempDir Path dir) {
    Model a = model(3);
    Optimizer oa = Sgd.defaults().lr(0.5f);
    TrainingReport expected = trainer(a, oa, Averaging.stepWeighted()).fit(TRAIN);

    Path file = dir.resolve("run.ckpt");
    assertThrows(ResumeTest.Crash.class, () -> trainer(model(3), Sgd.defaults().lr(0.5f),
        Averaging.stepWeighted()).checkpointEvery(1, file).callback(ResumeTest.crashIn(4))
        .fit(TRAIN));
    Checkpoint saved = ResumeTest.readQuietly(file);
    assertEquals(3, saved.progress().epoch());
    assertEquals("stepWeighted", saved.average().setting());
    assertTrue(saved.lastEpoch().isEmpty(), "a run going on saves theta as the model");

    Model b = model(99);
    Optimizer ob = Sgd.defaults().lr(0.5f);
    TrainingReport actual = trainer(b, ob, Averaging.stepWeighted()).checkpointEvery(1, file)
        .resumeFrom(file).fit(TRAIN);
    ResumeTest.assertSameRun(expected, a, oa, actual, b, ob);
  }

  @Test
  void aFinishedAveragedRunCanBeExtendedFromItsLastIterate(@TempDir Path dir) {
    Averaging tail = Averaging.uniformFrom(20);
    Model a = model(3);
    Optimizer oa = Sgd.defaults().lr(0.5f);
    TrainingReport expected = trainer(a, oa, tail).fit(TRAIN);

    Path file = dir.resolve("run.ckpt");
    Model shorter = model(3);
    trainer(shorter, Sgd.defaults().lr(0.5f), tail).epochs(2).checkpointEvery(5, file)
        .fit(TRAIN);
    Checkpoint end = ResumeTest.readQuietly(file);
    assertEquals(StopReason.MAX_EPOCHS, end.progress().stopReason());
    assertTrue(!end.lastEpoch().isEmpty(), "the end of an averaged run also keeps theta");
    Model b = model(5);
    Optimizer ob = Sgd.defaults().lr(0.5f);
    TrainingReport actual = trainer(b, ob, tail).resumeFrom(file).fit(TRAIN);
    ResumeTest.assertSameRun(expected, a, oa, actual, b, ob);
  }

  @Test
  void aCheckpointWithOtherAveragingIsRefused(@TempDir Path dir) {
    Path plain = dir.resolve("plain.ckpt");
    Trainer.of(model(3)).optimizer(Sgd.defaults().lr(0.5f)).batchSize(16).epochs(2).seed(7)
        .validation(CHECK).quiet().checkpointEvery(1, plain).fit(TRAIN);
    // A checkpoint without averaging (as every file written before it existed) still loads.
    assertNull(ResumeTest.readQuietly(plain).average());
    UncheckedIOException without = assertThrows(UncheckedIOException.class,
        () -> trainer(model(3), Sgd.defaults().lr(0.5f), Averaging.stepWeighted())
            .resumeFrom(plain).fit(TRAIN));
    assertTrue(without.getMessage().contains("it was written without iterate averaging, this"
        + " trainer averages (stepWeighted)"), without.getMessage());

    Path averaged = dir.resolve("averaged.ckpt");
    trainer(model(3), Sgd.defaults().lr(0.5f), Averaging.uniformFrom(3)).epochs(2)
        .checkpointEvery(1, averaged).fit(TRAIN);
    UncheckedIOException other = assertThrows(UncheckedIOException.class,
        () -> trainer(model(3), Sgd.defaults().lr(0.5f), Averaging.stepWeighted())
            .resumeFrom(averaged).fit(TRAIN));
    assertTrue(other.getMessage().contains("it was written with iterate averaging uniformFrom"
        + " 3, this trainer averages stepWeighted"), other.getMessage());
    UncheckedIOException none = assertThrows(UncheckedIOException.class,
        () -> Trainer.of(model(3)).optimizer(Sgd.defaults().lr(0.5f)).batchSize(16).epochs(2)
            .seed(7).validation(CHECK).quiet().resumeFrom(averaged).fit(TRAIN));
    assertTrue(none.getMessage().contains("it was written with iterate averaging (uniformFrom"
        + " 3), this trainer has none"), none.getMessage());
  }

  @Test
  void nullAveragingIsRefusedNamingTheChoices() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.of(model(1)).averageIterates(null));
    assertEquals("averageIterates: averaging is null; pass Averaging.stepWeighted() or"
        + " Averaging.uniformFrom(start)", e.getMessage());
  }
}
