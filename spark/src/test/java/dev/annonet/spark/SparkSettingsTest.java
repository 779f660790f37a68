package dev.annonet.spark;

import static dev.annonet.spark.SparkTests.assertSameBits;
import static dev.annonet.spark.SparkTests.digits;
import static dev.annonet.spark.SparkTests.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.annonet.data.Dataset;
import dev.annonet.examples.digits.DigitsModel;
import dev.annonet.optim.Sgd;
import dev.annonet.train.Trainer;
import dev.annonet.train.TrainingReport;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Gradient clipping, early stopping and a validation split on Spark give the parameters and the
 * stop of {@code Trainer.partitions(sizes)} on one machine, bit for bit.
 */
class SparkSettingsTest extends SparkSessionTest {

  private static final Dataset DATA = digits(512);
  private static final int[] SIZES = {200, 0, 312};

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
}
