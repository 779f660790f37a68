package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.optim.AdaGrad;
import dev.annonet.optim.Adam;
import dev.annonet.optim.AdamW;
import dev.annonet.optim.AmsGrad;
import dev.annonet.optim.GradientDescent;
import dev.annonet.optim.LineSearch;
import dev.annonet.optim.Momentum;
import dev.annonet.optim.Nesterov;
import dev.annonet.optim.Optimizer;
import dev.annonet.optim.RmsProp;
import dev.annonet.optim.Schedule;
import dev.annonet.optim.Sgd;
import dev.annonet.testing.SoftmaxModel;
import dev.annonet.testing.Synthetic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run interrupted after some epochs and resumed from its checkpoint by a new model, optimizer
 * and trainer ends with the same parameters, optimizer state and history, bit for bit, as the
 * run that was never interrupted; checkpoints of another run are refused.
 */
class ResumeTest {

  private static final int EPOCHS = 6;
  // 203 rows in batches of 16: the last batch of each epoch is short.
  private static final Dataset TRAIN = Synthetic.separable(203, 4, 3, 1);
  private static final Dataset CHECK = Synthetic.separable(50, 4, 3, 2);

  /** Thrown by a callback to simulate a crash in the middle of an epoch. */
  static final class Crash extends RuntimeException {
    Crash() {
      super("simulated crash");
    }
  }

  static List<Arguments> optimizers() {
    Map<String, Supplier<Optimizer>> all = new LinkedHashMap<>();
    all.put("Sgd", () -> Sgd.defaults().lr(0.2f).weightDecay(1e-3));
    all.put("Momentum", () -> Momentum.heavyBall(0.9).lr(0.05f));
    all.put("Nesterov", () -> Nesterov.defaults().lr(0.05f));
    all.put("AdaGrad", () -> AdaGrad.defaults().lr(0.1f).lrDecay(0.01));
    all.put("RmsProp", () -> RmsProp.defaults().lr(0.01f));
    all.put("RmsProp centered momentum",
        () -> RmsProp.defaults().lr(0.005f).centered(true).momentum(0.5));
    all.put("Adam", () -> Adam.defaults().lr(0.02f));
    all.put("AmsGrad", () -> AmsGrad.defaults().lr(0.02f));
    all.put("AdamW", () -> AdamW.defaults().lr(0.02f));
    all.put("GradientDescent", () -> GradientDescent.defaults().lr(0.5f));
    all.put("LineSearch", () -> LineSearch.defaults());
    List<Arguments> list = new ArrayList<>();
    all.forEach((name, make) -> list.add(Arguments.of(name, make)));
    return list;
  }

  private static Model model(long seed) {
    SoftmaxModel m = new SoftmaxModel(4, 3);
    m.initialize(seed);
    return m;
  }

  private static Trainer trainer(Model model, Optimizer optimizer) {
    // inverseTime depends on the update count, stepDecay on the epoch: both must be restored.
    Schedule schedule = (a, epoch, it) -> Schedule.stepDecay(0.7, 2).stepSize(
        Schedule.inverseTime().stepSize(a, epoch, it / 8), epoch, it);
    return Trainer.of(model).optimizer(optimizer).schedule(schedule).batchSize(16)
        .epochs(EPOCHS).seed(7).validation(CHECK).quiet();
  }

  /** A callback that crashes in the given epoch (1-based), after its first update. */
  static Callback crashIn(int epoch) {
    return new Callback() {
      @Override
      public void afterBatch(int e, int batch, int samples, double loss) {
        if (e == epoch && batch == 1) {
          throw new Crash();
        }
      }

      @Override
      public boolean afterEpoch(EpochRecord record, Model model) {
        return false;
      }
    };
  }

  static void assertSameRun(TrainingReport expected, Model a, Optimizer oa,
      TrainingReport actual, Model b, Optimizer ob) {
    assertArrayEquals(a.parameters(), b.parameters(), "parameters");
    assertEquals(oa.steps(), ob.steps(), "optimizer steps");
    float[][] sa = oa.state();
    float[][] sb = ob.state();
    assertEquals(sa.length, sb.length, "optimizer state arrays");
    for (int i = 0; i < sa.length; i++) {
      assertArrayEquals(sa[i], sb[i], "optimizer state array " + i);
    }
    assertEquals(expected.updates(), actual.updates(), "updates");
    assertEquals(expected.stopReason(), actual.stopReason(), "stop reason");
    assertEquals(expected.train(), actual.train(), "final training metrics");
    assertEquals(expected.history().size(), actual.history().size(), "epochs");
    for (int e = 0; e < expected.history().size(); e++) {
      EpochRecord x = expected.history().get(e);
      EpochRecord y = actual.history().get(e);
      // Everything but the wall-clock time.
      assertEquals(x.epoch(), y.epoch());
      assertEquals(x.trainLoss(), y.trainLoss(), "train loss of epoch " + x.epoch());
      assertEquals(x.gradientNorm(), y.gradientNorm(), "gradient norm of epoch " + x.epoch());
      assertEquals(x.stepSize(), y.stepSize(), "step size of epoch " + x.epoch());
      assertEquals(x.validation(), y.validation(), "validation of epoch " + x.epoch());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void resumedRunEndsBitIdenticalToAnUninterruptedOne(String name, Supplier<Optimizer> make,
      @TempDir Path dir) {
    Model a = model(3);
    Optimizer oa = make.get();
    TrainingReport expected = trainer(a, oa).fit(TRAIN);

    Path file = dir.resolve("run.ckpt");
    Model crashed = model(3);
    assertThrows(Crash.class, () -> trainer(crashed, make.get()).checkpointEvery(1, file)
        .callback(crashIn(4)).fit(TRAIN));
    assertEquals(3, readQuietly(file).progress().epoch());

    // A new process would build everything anew: another initialisation, a fresh optimizer.
    Model b = model(99);
    Optimizer ob = make.get();
    TrainingReport actual = trainer(b, ob).checkpointEvery(1, file).resumeFrom(file).fit(TRAIN);
    assertSameRun(expected, a, oa, actual, b, ob);
    assertEquals(EPOCHS, readQuietly(file).progress().epoch());
    assertEquals(StopReason.MAX_EPOCHS, readQuietly(file).progress().stopReason());
  }

  @Test
  void aShorterRunCanBeExtended(@TempDir Path dir) {
    Model a = model(3);
    Optimizer oa = Adam.defaults().lr(0.02f);
    TrainingReport expected = trainer(a, oa).fit(TRAIN);

    Path file = dir.resolve("run.ckpt");
    trainer(model(3), Adam.defaults().lr(0.02f)).epochs(2).checkpointEvery(5, file).fit(TRAIN);
    assertEquals(2, readQuietly(file).progress().epoch(), "the end of a run is always saved");
    Model b = model(5);
    Optimizer ob = Adam.defaults().lr(0.02f);
    TrainingReport actual = trainer(b, ob).resumeFrom(file).fit(TRAIN);
    assertSameRun(expected, a, oa, actual, b, ob);
  }

  @Test
  void checkpointsAreWrittenEveryKEpochs(@TempDir Path dir) {
    Path file = dir.resolve("run.ckpt");
    assertThrows(Crash.class, () -> trainer(model(3), Sgd.defaults()).checkpointEvery(2, file)
        .callback(crashIn(4)).fit(TRAIN));
    Checkpoint c = readQuietly(file);
    assertEquals(2, c.progress().epoch());
    assertEquals(2, c.history().size());
    assertEquals(2L * 13, c.progress().updates());
    assertEquals(null, c.progress().stopReason());
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
    }  catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aMissingFileStartsAfresh(@TempDir Path dir) {
    Model a = model(3);
    Optimizer oa = Momentum.defaults().lr(0.05f);
    TrainingReport expected = trainer(a, oa).fit(TRAIN);
    Path file = dir.resolve("sub").resolve("run.ckpt");
    Model b = model(3);
    Optimizer ob = Momentum.defaults().lr(0.05f);
    TrainingReport actual = trainer(b, ob).checkpointEvery(1, file).resumeFrom(file).fit(TRAIN);
    assertSameRun(expected, a, oa, actual, b, ob);
    assertTrue(Files.exists(file));
  }

  @Test
  void aRunThatStoppedStaysStopped(@TempDir Path dir) {
    Path file = dir.resolve("run.ckpt");
    Model a = model(3);
    TrainingReport first = trainer(a, Adam.defaults().lr(0.05f)).callback((r, m) -> r.epoch() == 2)
        .checkpointEvery(1, file).fit(TRAIN);
    assertEquals(StopReason.CALLBACK, first.stopReason());
    Model b = model(8);
    Optimizer ob = Adam.defaults().lr(0.05f);
    TrainingReport again = trainer(b, ob).resumeFrom(file).fit(TRAIN);
    assertEquals(StopReason.CALLBACK, again.stopReason());
    assertEquals(2, again.epochs());
    assertEquals(first.updates(), again.updates());
    assertArrayEquals(a.parameters(), b.parameters());
  }

  @Test
  void aCheckpointOfAnotherRunIsRefusedAndChangesNothing(@TempDir Path dir) {
    Path file = dir.resolve("run.ckpt");
    trainer(model(3), Adam.defaults().lr(0.02f)).epochs(2).checkpointEvery(1, file).fit(TRAIN);

    assertRefused(trainer(fresh(), Adam.defaults().lr(0.02f)).seed(8), file,
        "it was written with seed 7, this trainer uses 8");
    assertRefused(trainer(fresh(), Adam.defaults().lr(0.02f)).batchSize(32), file,
        "it was written with batch size 16, this trainer uses 32");
    assertRefused(trainer(fresh(), Sgd.defaults()), file,
        "it was written by optimizer Adam, this run uses Sgd");
    assertRefused(trainer(fresh(), Adam.defaults().lr(0.01f)), file,
        "it was written by Adam" + Adam.defaults().lr(0.02f).config() + ", this run uses Adam"
            + Adam.defaults().lr(0.01f).config());
    SoftmaxModel wider = new SoftmaxModel(4, 4);
    wider.initialize(4);
    UncheckedIOException shapes = assertThrows(UncheckedIOException.class,
        () -> trainer(wider, Adam.defaults().lr(0.02f)).resumeFrom(file).fit(TRAIN));
    assertTrue(shapes.getMessage().startsWith(file + " does not fit this run: "),
        shapes.getMessage());
    assertTrue(shapes.getMessage().contains("'linear.weight' is [3, 4] in the file but [4, 4]"
        + " in the network"), shapes.getMessage());
    Dataset fewer = Synthetic.separable(150, 4, 3, 1);
    assertRefused(trainer(fresh(), Adam.defaults().lr(0.02f)), fewer, file,
        "it was written for 203 training rows, this data set has 150");
    // Same size, other rows; the same rows in another order; another validation set.
    assertRefused(trainer(fresh(), Adam.defaults().lr(0.02f)), Synthetic.separable(203, 4, 3, 9),
        file, "it was written for other training data: the 203 rows differ in their values or"
            + " order (fingerprint " + Long.toHexString(TRAIN.fingerprint()) + " there, ");
    int[] reversed = new int[TRAIN.size()];
    for (int i = 0; i < reversed.length; i++) {
      reversed[i] = reversed.length - 1 - i;
    }
    assertRefused(trainer(fresh(), Adam.defaults().lr(0.02f)), TRAIN.subset(reversed), file,
        "it was written for other training data");
    assertRefused(trainer(fresh(), Adam.defaults().lr(0.02f))
            .validation(Synthetic.separable(50, 4, 3, 3)), file,
        "it was written with another validation set (fingerprint "
            + Long.toHexString(CHECK.fingerprint()) + " there, ");
  }

  private Model last;

  /** A model for a trainer that is to be refused, kept to check it was left alone. */
  private Model fresh() {
    last = model(4);
    return last;
  }

  private void assertRefused(Trainer trainer, Path file, String problem) {
    assertRefused(trainer, TRAIN, file, problem);
  }

  private void assertRefused(Trainer trainer, Dataset data, Path file, String problem) {
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> trainer.resumeFrom(file).fit(data));
    assertTrue(e.getMessage().startsWith(file + " does not fit this run: "), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertArrayEquals(model(4).parameters(), last.parameters(), "the model was changed");
  }

  @Test
  void badSettingsAreRefusedWhenSet(@TempDir Path dir) {
    Trainer t = Trainer.of(model(1));
    IllegalArgumentException every = assertThrows(IllegalArgumentException.class,
        () -> t.checkpointEvery(0, dir.resolve("a")));
    assertEquals("checkpointEvery: epochs must be at least 1, got 0", every.getMessage());
    assertThrows(IllegalArgumentException.class, () -> t.checkpointEvery(1, null));
    IllegalArgumentException directory = assertThrows(IllegalArgumentException.class,
        () -> t.resumeFrom(dir));
    assertTrue(directory.getMessage().contains("is a directory"), directory.getMessage());
  }

  static Checkpoint readQuietly(Path file) {
    try {
      return Checkpoint.read(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
