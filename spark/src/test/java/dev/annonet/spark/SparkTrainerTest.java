package dev.annonet.spark;

import static dev.annonet.spark.SparkTests.assertSameBits;
import static dev.annonet.spark.SparkTests.digits;
import static dev.annonet.spark.SparkTests.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.data.Dataset;
import dev.annonet.examples.digits.DigitsModel;
import dev.annonet.kernels.Kernels;
import dev.annonet.optim.Adam;
import dev.annonet.optim.Schedule;
import dev.annonet.optim.Sgd;
import dev.annonet.train.EpochRecord;
import dev.annonet.train.StopReason;
import dev.annonet.train.Trainer;
import dev.annonet.train.TrainingReport;
import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Synchronous data-parallel training on local[2] equals the single-machine trainer with the same
 * partitions bit for bit, is reproducible, and survives a failed task without counting it twice.
 */
class SparkTrainerTest extends SparkSessionTest {

  private static final Dataset DATA = digits(600);
  private static final Dataset CHECK = digits(700).subset(range(600, 700));

  @Test
  void runsTheKernelsTheBuildAskedFor() {
    String wanted = System.getProperty("annonet.test.vectorApi");
    assertEquals(Boolean.parseBoolean(wanted), Kernels.vectorApiAvailable(),
        "annonet.test.vectorApi=" + wanted);
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    Arrays.setAll(r, i -> from + i);
    return r;
  }

  private static <M extends dev.annonet.Model> SparkTrainer<M> configure(SparkTrainer<M> t) {
    return t.optimizer(Adam.defaults().lr(0.01f)).schedule(Schedule.stepDecay(0.5, 2))
        .batchSize(64).epochs(3).seed(7).quiet();
  }

  private static TrainingReport single(DigitsModel model, int... partitions) {
    Trainer t = Trainer.of(model).optimizer(Adam.defaults().lr(0.01f))
        .schedule(Schedule.stepDecay(0.5, 2)).batchSize(64).epochs(3).seed(7).validation(CHECK)
        .quiet();
    if (partitions.length > 0) {
      t.partitions(partitions);
    }
    return t.fit(DATA);
  }

  @Test
  void equalsTheSingleMachineTrainerOnTheSamePartitionsBitForBit() {
    int[] sizes = {250, 0, 310, 40};
    SparkTrainer<DigitsModel> onSpark = configure(SparkTrainer.of(DigitsModel::new))
        .validation(CHECK);
    TrainingReport r = onSpark.fit(frame(spark, DATA, sizes));
    DigitsModel local = new DigitsModel(42);
    TrainingReport expected = single(local, sizes);

    assertSameBits(local.parameters(), onSpark.model().parameters());
    assertEquals(expected.updates(), r.updates());
    assertEquals(StopReason.MAX_EPOCHS, r.stopReason());
    assertEquals(expected.history().size(), r.history().size());
    for (int e = 0; e < r.history().size(); e++) {
      EpochRecord want = expected.history().get(e);
      EpochRecord got = r.history().get(e);
      // The same parameters give the same validation metrics and step sizes exactly; the
      // training loss and gradient norm are summed per partition, equal to rounding.
      assertEquals(want.validation(), got.validation(), "epoch " + (e + 1));
      assertEquals(want.stepSize(), got.stepSize(), "epoch " + (e + 1));
      assertEquals(want.trainLoss(), got.trainLoss(), 1e-6 * want.trainLoss());
      assertEquals(want.gradientNorm(), got.gradientNorm(), 1e-5 * want.gradientNorm());
    }
    assertEquals(expected.train().accuracy(), r.train().accuracy(), 1e-12);
    assertEquals(expected.train().loss(), r.train().loss(), 1e-6 * expected.train().loss());
    assertTrue(r.validation().accuracy() > 0.8, r.toString());

    // Summing slices is not one pass over the whole minibatch: plain training differs in the
    // last bits, which is why the comparison above names the partitions.
    DigitsModel plain = new DigitsModel(42);
    single(plain);
    assertFalse(Arrays.equals(plain.parameters(), local.parameters()));
  }

  @Test
  void onOnePartitionItIsPlainTrainerFit() {
    SparkTrainer<DigitsModel> onSpark = configure(SparkTrainer.of(DigitsModel::new));
    onSpark.fit(frame(spark, DATA, 600));
    DigitsModel local = new DigitsModel(42);
    single(local);
    assertSameBits(local.parameters(), onSpark.model().parameters());
  }

  @Test
  void theSameSeedGivesTheSameResultAndAnotherSeedAnother() {
    org.apache.spark.sql.Dataset<Row> df = frame(spark, DATA, 100, 200, 300);
    SparkTrainer<DigitsModel> a = configure(SparkTrainer.of(DigitsModel::new));
    SparkTrainer<DigitsModel> b = configure(SparkTrainer.of(DigitsModel::new));
    a.fit(df);
    b.fit(df);
    assertSameBits(a.model().parameters(), b.model().parameters());
    SparkTrainer<DigitsModel> c = configure(SparkTrainer.of(DigitsModel::new)).seed(8);
    c.fit(df);
    assertFalse(Arrays.equals(a.model().parameters(), c.model().parameters()),
        "another seed visited the rows in another order");
  }

  @Test
  void aDivergingRunStopsWhereTheSingleMachineTrainerStopsBitForBit() {
    int[] sizes = {300, 300};
    org.apache.spark.sql.Dataset<Row> df = frame(spark, DATA, sizes);
    // Sgd at 0.1 for two epochs, then at 0.1 times the factor, in minibatches of 300 rows: at
    // 1e20 the third epoch's updates are finite but leave a NaN training loss, found after the
    // epoch; at 1e30 the third epoch's second minibatch loss is NaN, found at that update; at 1
    // the run is finite.
    String[] stops = {"the training loss became NaN after epoch 3 (its last step: 2 of 2)",
        "the minibatch loss became NaN at epoch 3, step 2 of 2", "ran all 3 epochs"};
    float[] factors = {1e20f, 1e30f, 1f};
    for (int i = 0; i < factors.length; i++) {
      float factor = factors[i];
      Schedule schedule = (a, epoch, iteration) -> epoch < 2 ? a : a * factor;
      SparkTrainer<DigitsModel> onSpark = SparkTrainer.of(DigitsModel::new)
          .optimizer(Sgd.defaults().lr(0.1f)).schedule(schedule).batchSize(300).epochs(3)
          .quiet();
      TrainingReport r = onSpark.fit(df);
      DigitsModel local = new DigitsModel(42);
      TrainingReport expected = Trainer.of(local).optimizer(Sgd.defaults().lr(0.1f))
          .schedule(schedule).batchSize(300).epochs(3).partitions(sizes).quiet().fit(DATA);

      assertTrue(expected.message().startsWith(stops[i]), expected.message());
      assertEquals(expected.stopReason(), r.stopReason(), "factor " + factor);
      assertEquals(expected.message(), r.message());
      assertEquals(expected.history().size(), r.history().size(), r.message());
      assertEquals(expected.updates(), r.updates(), r.message());
      // The last finite epoch's parameters, or after a finite run the last epoch's.
      assertSameBits(local.parameters(), onSpark.model().parameters());
      for (EpochRecord e : r.history()) {
        assertTrue(Double.isFinite(e.trainLoss()) && Double.isFinite(e.gradientNorm()),
            r.toString());
      }
    }
  }

  @Test
  void aTaskThatFailsOnceIsRetriedWithoutCountingItsGradientTwice() {
    org.apache.spark.sql.Dataset<Row> df = frame(spark, DATA, 300, 300);
    SparkTrainer<DigitsModel> clean = configure(SparkTrainer.of(DigitsModel::new));
    clean.fit(df);

    FailingModel.failAfter(5);
    SparkTrainer<FailingModel> failing = configure(SparkTrainer.of(FailingModel::new));
    failing.fit(df);
    assertEquals(1, FailingModel.failures(), "the injected failure did not happen");
    assertSameBits(clean.model().parameters(), failing.model().parameters());
  }
}
