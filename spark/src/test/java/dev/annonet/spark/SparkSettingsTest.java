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
import dev.annonet.optim.Sgd;
import dev.annonet.train.Metric;
import dev.annonet.train.Metrics;
import dev.annonet.train.StopReason;
import dev.annonet.train.Trainer;
import dev.annonet.train.TrainingReport;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gradient clipping, early stopping and a validation split on Spark give the parameters and the
 * stop of {@code Trainer.partitions(sizes)} on one machine, bit for bit.
 */
class SparkSettingsTest extends SparkSessionTest {

  private static final Dataset DATA = digits(512);
  private static final int[] SIZES = {200, 0, 312};
  private static final Dataset CHECK = digits(700).subset(IntStream.range(600, 700).toArray());

  private static SparkTrainer<DigitsModel> sgd() {
    return SparkTrainer.of(DigitsModel::new).optimizer(Sgd.defaults().lr(0.2f)).batchSize(64)
        .epochs(2).seed(7).quiet();
  }

  private static Trainer single(DigitsModel model) {
    return Trainer.of(model).optimizer(Sgd.defaults().lr(0.2f)).batchSize(64).epochs(2).seed(7)
        .partitions(SIZES).quiet();
  }

  @Test
  void clippingEqualsTheSingleMachineTrainersClippingBitForBit() {
    SparkTrainer<DigitsModel> onSpark = sgd().clipGradientNorm(0.3);
    TrainingReport r = onSpark.fit(frame(spark, DATA, SIZES));
    DigitsModel clipped = new DigitsModel(42);
    TrainingReport want = single(clipped).clipGradientNorm(0.3).fit(DATA);
    assertSameBits(clipped.parameters(), onSpark.model().parameters());
    assertEquals(want.updates(), r.updates());

    // The bound is low enough to change the run: without it the parameters differ.
    DigitsModel unclipped = new DigitsModel(42);
    single(unclipped).fit(DATA);
    assertFalse(Arrays.equals(unclipped.parameters(), clipped.parameters()));
    assertThrows(IllegalArgumentException.class, () -> sgd().clipGradientNorm(0));
  }

  @Test
  void earlyStoppingStopsAndRestoresAsTheSingleMachineTrainerBitForBit(@TempDir Path dir) {
    DigitsModel local = new DigitsModel(42);
    TrainingReport want = single(local).epochs(12).validation(CHECK)
        .earlyStopping(Metric.ACCURACY, 1).fit(DATA);
    // The single-machine run stops early and goes back to an epoch before its last.
    assertEquals(StopReason.EARLY_STOPPING, want.stopReason(), want.toString());
    assertTrue(want.bestEpoch() < want.history().size(), want.toString());

    SparkTrainer<DigitsModel> onSpark = sgd().epochs(12).validation(CHECK)
        .earlyStopping(Metric.ACCURACY, 1);
    TrainingReport r = onSpark.fit(frame(spark, DATA, SIZES));
    assertEquals(StopReason.EARLY_STOPPING, r.stopReason(), r.toString());
    assertEquals(want.history().size(), r.history().size(), "the stop epoch");
    assertEquals(want.bestEpoch(), r.bestEpoch());
    assertEquals(want.message(), r.message());
    assertEquals(want.validation(), r.validation());
    assertSameBits(local.parameters(), onSpark.model().parameters());

    // Checkpointed after epoch 1 and resumed by a new trainer: the same stop and parameters.
    Path file = dir.resolve("run.ckpt");
    sgd().epochs(1).validation(CHECK).earlyStopping(Metric.ACCURACY, 1)
        .checkpointEvery(1, file).fit(frame(spark, DATA, SIZES));
    SparkTrainer<DigitsModel> resumed = sgd().epochs(12).validation(CHECK)
        .earlyStopping(Metric.ACCURACY, 1).resumeFrom(file);
    TrainingReport rr = resumed.fit(frame(spark, DATA, SIZES));
    assertEquals(want.history().size(), rr.history().size(), "the resumed run's stop epoch");
    assertEquals(want.bestEpoch(), rr.bestEpoch());
    assertSameBits(local.parameters(), resumed.model().parameters());

    UncheckedIOException refused = assertThrows(UncheckedIOException.class,
        () -> sgd().epochs(12).validation(CHECK).earlyStopping(Metric.LOSS, 1).resumeFrom(file)
            .fit(frame(spark, DATA, SIZES)));
    assertTrue(refused.getMessage().contains("this trainer stops early on validation loss"),
        refused.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> sgd().earlyStopping(Metric.LOSS, 2).fit(frame(spark, DATA, SIZES)));
  }

  @Test
  void aValidationSplitHoldsOutTheSplitsRowsAndStopsAsTheSingleMachineTrainer() {
    // The rows held out are those of a stratified split of the rows in partition order.
    int[] held = Dataset.testRows(DATA.size(), DATA.labels(), 0.2, 7);
    assertEquals(DATA.stratifiedSplit(0.2, 7).test().fingerprint(),
        DATA.subset(held).fingerprint());
    boolean[] isHeld = new boolean[DATA.size()];
    for (int row : held) {
      isHeld[row] = true;
    }
    int[] kept = IntStream.range(0, DATA.size()).filter(i -> !isHeld[i]).toArray();
    int[] keptSizes = new int[SIZES.length];
    for (int k = 0, first = 0; k < SIZES.length; first += SIZES[k++]) {
      int from = first;
      int to = first + SIZES[k];
      keptSizes[k] = (int) Arrays.stream(kept).filter(i -> i >= from && i < to).count();
    }
    DigitsModel local = new DigitsModel(42);
    TrainingReport want = single(local).partitions(keptSizes).epochs(12)
        .validation(DATA.subset(held)).earlyStopping(Metric.ACCURACY, 1).fit(DATA.subset(kept));
    assertEquals(StopReason.EARLY_STOPPING, want.stopReason(), want.toString());

    SparkTrainer<DigitsModel> onSpark = sgd().epochs(12).validationSplit(0.2)
        .earlyStopping(Metric.ACCURACY, 1);
    TrainingReport r = onSpark.fit(frame(spark, DATA, SIZES));
    assertEquals(want.history().size(), r.history().size(), "the stop epoch");
    assertEquals(want.bestEpoch(), r.bestEpoch());
    assertSameBits(local.parameters(), onSpark.model().parameters());
    for (int e = 0; e < r.history().size(); e++) {
      Metrics w = want.history().get(e).validation();
      Metrics g = r.history().get(e).validation();
      // Measured per partition: the same count of correct rows, the loss summed otherwise.
      assertEquals(w.accuracy(), g.accuracy(), "epoch " + (e + 1));
      assertEquals(w.loss(), g.loss(), 1e-6 * w.loss(), "epoch " + (e + 1));
    }
    assertThrows(IllegalArgumentException.class,
        () -> sgd().validation(CHECK).validationSplit(0.2));
    assertThrows(IllegalArgumentException.class, () -> sgd().validationSplit(1));
  }
}
