package dev.annonet.spark;

import static dev.annonet.spark.SparkTests.assertSameBits;
import static dev.annonet.spark.SparkTests.digits;
import static dev.annonet.spark.SparkTests.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.data.Dataset;
import dev.annonet.examples.digits.DigitsModel;
import dev.annonet.io.ModelFile;
import dev.annonet.optim.Adam;
import dev.annonet.optim.Schedule;
import dev.annonet.optim.Sgd;
import dev.annonet.train.StopReason;
import dev.annonet.train.Trainer;
import dev.annonet.train.TrainingReport;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tree aggregation agrees with in-order aggregation to one float rounding, local SGD with one
 * step is the synchronous step and with more is SGD's parameter averaging, and a run resumes
 * from a driver checkpoint bit for bit.
 */
class SparkModesTest extends SparkSessionTest {

  private static final Dataset DATA = digits(512);

  private static SparkTrainer<DigitsModel> adam() {
    return SparkTrainer.of(DigitsModel::new).optimizer(Adam.defaults().lr(0.01f))
        .schedule(Schedule.stepDecay(0.5, 2)).batchSize(64).seed(7).quiet();
  }

  @Test
  void treeAggregationAgreesWithInOrderToOneFloatRounding() {
    // All rows in one minibatch, so every partition sends a slice.
    org.apache.spark.sql.Dataset<Row> df = frame(spark, DATA, 150, 0, 200, 90, 72);
    float[] inOrder = adam().batchSize(512).firstGradient(df);
    float[] tree = adam().batchSize(512).aggregation(Aggregation.TREE).firstGradient(df);
    float largest = 0;
    for (float g : inOrder) {
      largest = Math.max(largest, Math.abs(g));
    }
    for (int i = 0; i < inOrder.length; i++) {
      // Both sum the same exact double products of the four slices; added in another order they
      // differ by a few double rounding steps of the slices' size (2^-50 of the largest entry
      // bounds that here), which rounding to float shows as at most one float step.
      double allowed = Math.ulp(inOrder[i]) + Math.scalb((double) largest, -50);
      assertTrue(Math.abs((double) tree[i] - inOrder[i]) <= allowed,
          "entry " + i + ": tree " + tree[i] + " vs in order " + inOrder[i]);
    }
    assertTrue(largest > 0);
  }

  @Test
  void treeAggregationTrains() {
    SparkTrainer<DigitsModel> t = adam().epochs(3).aggregation(Aggregation.TREE)
        .validation(digits(700).subset(range(600, 700)));
    TrainingReport r = t.fit(frame(spark, DATA, 200, 312));
    assertEquals(3 * 8, r.updates());
    assertTrue(r.validation().accuracy() > 0.8, r.toString());
  }

  @Test
  void oneLocalStepIsTheSynchronousStepBitForBit() {
    int[] sizes = {100, 0, 290, 122};
    SparkTrainer<DigitsModel> local = adam().epochs(2).localSteps(1);
    local.fit(frame(spark, DATA, sizes));
    DigitsModel single = new DigitsModel(42);
    Trainer.of(single).optimizer(Adam.defaults().lr(0.01f)).schedule(Schedule.stepDecay(0.5, 2))
        .batchSize(64).epochs(2).seed(7).partitions(sizes).quiet().fit(DATA);
    assertSameBits(single.parameters(), local.model().parameters());
  }

  @Test
  void localSgdOnOnePartitionIsSequentialSgdToRounding() {
    // 512 rows in minibatches of 64: each update of 4 local steps averages nothing (one
    // partition), so its step is the sum of 4 SGD steps' gradients, each taken where the
    // previous step led: plain SGD, summed in another order.
    SparkTrainer<DigitsModel> local = SparkTrainer.of(DigitsModel::new)
        .optimizer(Sgd.defaults().lr(0.05f)).batchSize(64).epochs(2).seed(7).localSteps(4)
        .quiet();
    TrainingReport r = local.fit(frame(spark, DATA, 512));
    assertEquals(2 * 2, r.updates(), "one update per 4 minibatches");
    DigitsModel plain = new DigitsModel(42);
    TrainingReport p = Trainer.of(plain).optimizer(Sgd.defaults().lr(0.05f)).batchSize(64)
        .epochs(2).seed(7).quiet().fit(DATA);
    assertEquals(2 * 8, p.updates());
    float[] want = plain.parameters();
    float[] got = local.model().parameters();
    double scale = 0;
    for (float w : want) {
      scale = Math.max(scale, Math.abs(w));
    }
    assertFalse(Arrays.equals(want, got), "the sums are added in another order");
    for (int i = 0; i < want.length; i++) {
      // 16 updates, each summing in another order: their float rounding differences, carried
      // on through the gradients, reached 4 float steps of the largest parameter when this was
      // written; 2^-20 of it (10 such steps) leaves no room for a step counted wrong (a missing
      // factor k moves the parameters by 0.05 times three gradients).
      assertEquals(want[i], got[i], Math.scalb(scale, -20), "parameter " + i);
    }
  }

  @Test
  void localSgdAcrossPartitionsTrainsWithFewerUpdates() {
    SparkTrainer<DigitsModel> t = adam().epochs(3).localSteps(3)
        .validation(digits(700).subset(range(600, 700)));
    TrainingReport r = t.fit(frame(spark, DATA, 256, 256));
    assertEquals(3 * 3, r.updates(), "ceil(8 / 3) updates per epoch");
    assertTrue(r.validation().accuracy() > 0.7, r.toString());
  }

  @Test
  void aRunResumedFromTheDriversCheckpointEndsAsAStraightRun(@TempDir Path dir)
      throws Exception {
    org.apache.spark.sql.Dataset<Row> df = frame(spark, DATA, 200, 0, 312);
    Path file = dir.resolve("run.ckpt");
    SparkTrainer<DigitsModel> first = adam().epochs(2).checkpointEvery(1, file);
    first.fit(df);
    // A new trainer, as after a driver restart: a fresh model, the checkpoint's state.
    SparkTrainer<DigitsModel> resumed = adam().epochs(4).resumeFrom(file);
    TrainingReport r = resumed.fit(df);
    SparkTrainer<DigitsModel> straight = adam().epochs(4);
    TrainingReport s = straight.fit(df);
    assertSameBits(straight.model().parameters(), resumed.model().parameters());
    assertEquals(s.updates(), r.updates());
    assertEquals(4, r.history().size());
    assertEquals(s.history().get(3).trainLoss(), r.history().get(3).trainLoss());

    UncheckedIOException refused = assertThrows(UncheckedIOException.class,
        () -> adam().epochs(4).resumeFrom(file).fit(frame(spark, DATA, 256, 256)));
    assertTrue(refused.getMessage().contains("partitions of sizes [256, 256]"),
        refused.getMessage());
    // The local steps and the aggregation fix every update too: others are refused by name.
    UncheckedIOException otherK = assertThrows(UncheckedIOException.class,
        () -> adam().epochs(4).localSteps(2).aggregation(Aggregation.TREE).resumeFrom(file)
            .fit(df));
    assertTrue(otherK.getMessage().contains("it was written with localSteps 1, this trainer "
        + "uses localSteps 2; it was written with aggregation IN_ORDER, this trainer uses "
        + "aggregation TREE"), otherK.getMessage());

    // The model trained on Spark is a plain model file that loads in any JVM.
    Path saved = dir.resolve("digits.safetensors");
    ModelFile.save(resumed.model(), saved);
    DigitsModel loaded = new DigitsModel(1);
    ModelFile.load(loaded, saved);
    assertSameBits(resumed.model().parameters(), loaded.parameters());
    float[] row = DATA.row(3);
    assertSameBits(resumed.model().predict(row), loaded.predict(row));
  }

  @Test
  void aToleranceStopsWhereTheSingleMachineTrainerStops() {
    int[] sizes = {300, 212};
    DigitsModel single = new DigitsModel(42);
    TrainingReport want = Trainer.of(single).optimizer(Adam.defaults().lr(0.01f))
        .schedule(Schedule.stepDecay(0.5, 2)).batchSize(64).epochs(6).seed(7).partitions(sizes)
        .quiet().fit(DATA);
    // A tolerance between the second and third epochs' gradient norms stops after the third.
    double tolerance = (want.history().get(1).gradientNorm()
        + want.history().get(2).gradientNorm()) / 2;
    assertTrue(want.history().get(2).gradientNorm() < tolerance
        && want.history().get(1).gradientNorm() > tolerance, want.history().toCsv());
    SparkTrainer<DigitsModel> t = adam().epochs(6).tolerance(tolerance);
    TrainingReport r = t.fit(frame(spark, DATA, sizes));
    assertEquals(StopReason.GRADIENT_NORM, r.stopReason(), r.toString());
    assertEquals(3, r.history().size(), r.toString());
    assertTrue(r.message().contains("fell below the tolerance"), r.message());
    assertThrows(IllegalArgumentException.class, () -> adam().tolerance(-1));
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    Arrays.setAll(r, i -> from + i);
    return r;
  }
}
