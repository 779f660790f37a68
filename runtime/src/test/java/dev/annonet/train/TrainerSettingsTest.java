package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.testing.SoftmaxModel;
import dev.annonet.testing.SquaredErrorModel;
import dev.annonet.testing.Synthetic;
import dev.annonet.testing.TestSgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every trainer setting is checked at the call that sets it, not only in fit(). */
class TrainerSettingsTest {

  private final Trainer regression = Trainer.of(new SquaredErrorModel(3, 2));
  private final Trainer classifier = Trainer.of(new SoftmaxModel(3, 4));

  private static String rejected(Executable call) {
    return assertThrows(IllegalArgumentException.class, call).getMessage();
  }

  @Test
  void modelAndOptimizerMustBeGiven() {
    assertEquals("model is null", rejected(() -> Trainer.of(null)));
    assertEquals("optimizer is null: pass an update rule, e.g. Adam.defaults()",
        rejected(() -> regression.optimizer(null)));
  }

  @Test
  void batchSizeEpochsAndToleranceAreCheckedWhenSet() {
    assertEquals("batch size must be at least 1, got 0: use batchSize(1) for plain SGD or a "
        + "size above the data set for full batch", rejected(() -> regression.batchSize(0)));
    assertEquals("epochs must be at least 1, got -1", rejected(() -> regression.epochs(-1)));
    assertEquals("tolerance must be 0 or more, got NaN: use 0 to train for all epochs",
        rejected(() -> regression.tolerance(Double.NaN)));
    assertEquals("tolerance must be 0 or more, got -1.0E-4: use 0 to train for all epochs",
        rejected(() -> regression.tolerance(-1e-4)));
    // Edge values that are valid.
    regression.batchSize(1).epochs(1).tolerance(0).seed(-7).seed(Long.MAX_VALUE);
  }

  @Test
  void callbackMustNotBeNull() {
    assertEquals("callback is null", rejected(() -> regression.callback(null)));
  }

  @Test
  void validationSetIsCheckedAgainstTheModelWhenSet() {
    Dataset narrow = Dataset.of(Synthetic.features(4, 2, 1), 2, new float[8], 2);
    assertEquals("the network takes 3 inputs per sample but the validation dataset rows have 2 "
        + "values: give it 3 feature columns (is the target column among the features?) or "
        + "change the network's @Input size", rejected(() -> regression.validation(narrow)));
    Dataset labels = Dataset.of(Synthetic.features(2, 3, 1), 3, new float[] {1, 4}, 1);
    assertEquals("row 1 of the validation dataset has label 4 but the network has 4 classes "
        + "(labels 0..3): re-encode the labels or give the last layer more units",
        rejected(() -> classifier.validation(labels)));
  }

  @Test
  void validationSplitFractionMustLieStrictlyBetweenZeroAndOne() {
    for (double bad : new double[] {0, 1, -0.2, 1.5, Double.NaN}) {
      assertEquals("validationSplit: fraction = " + bad + " is outside (0, 1): give the share "
          + "of the rows to hold out, e.g. 0.2", rejected(() -> regression.validationSplit(bad)));
    }
  }

  @Test
  void validationSplitAndValidationSetExcludeEachOther() {
    Dataset valid = Synthetic.linear(10, new float[][] {{1, 2, 3}, {0, 1, 0}}, new float[2], 3);
    assertEquals("validation(Dataset) cannot be combined with validationSplit(0.2), which "
        + "already holds out part of the training data: use one of them",
        rejected(() -> Trainer.of(new SquaredErrorModel(3, 2)).validationSplit(0.2)
            .validation(valid)));
    assertEquals("validationSplit(0.25) cannot be combined with validation(Dataset), which "
        + "already gives a validation set: use one of them",
        rejected(() -> Trainer.of(new SquaredErrorModel(3, 2)).validation(valid)
            .validationSplit(0.25)));
    // validation(null) means none and may follow a split.
    Trainer.of(new SquaredErrorModel(3, 2)).validationSplit(0.2).validation(null);
  }

  @Test
  void earlyStoppingSettings() {
    assertEquals("earlyStopping: metric is null: watch e.g. Metric.LOSS",
        rejected(() -> regression.earlyStopping(null, 3)));
    assertEquals("earlyStopping: patience must be at least 1 epoch, got 0",
        rejected(() -> regression.earlyStopping(Metric.LOSS, 0)));
    assertEquals("earlyStopping: SquaredErrorModel is a regression network, for which the "
        + "trainer does not measure validation accuracy: watch Metric.LOSS, Metric.MSE or "
        + "Metric.MAE", rejected(() -> regression.earlyStopping(Metric.ACCURACY, 3)));
    assertEquals("earlyStopping: SoftmaxModel is a multiclass network, for which the trainer "
        + "does not measure validation mae: watch Metric.LOSS or Metric.ACCURACY",
        rejected(() -> classifier.earlyStopping(Metric.MAE, 3)));
    regression.earlyStopping(Metric.MSE, 1);
    classifier.earlyStopping(Metric.ACCURACY, 2);
  }

  @Test
  void clipNormMustBePositiveAndFinite() {
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertEquals("clipGradientNorm: maxNorm = " + bad + " must be positive and finite, e.g. "
          + "1.0", rejected(() -> regression.clipGradientNorm(bad)));
    }
    regression.clipGradientNorm(1e-3);
  }

  @Test
  void earlyStoppingWithoutValidationDataFailsBeforeAnyUpdate() {
    TestSgd sgd = new TestSgd(0.1f);
    Model m = new SquaredErrorModel(3, 2);
    Dataset data = Synthetic.linear(20, new float[][] {{1, 2, 3}, {0, 1, 0}}, new float[2], 3);
    assertEquals("earlyStopping(validation loss, 4) watches a validation set but none is given: "
        + "add validationSplit(0.2) or validation(Dataset)",
        rejected(() -> Trainer.of(m).optimizer(sgd).earlyStopping(Metric.LOSS, 4).fit(data)));
    assertEquals(0, sgd.steps());
  }

  @Test
  void validationSplitMustLeaveRowsOnBothSides() {
    TestSgd sgd = new TestSgd(0.1f);
    Dataset data = Synthetic.linear(40, new float[][] {{1, 2, 3}, {0, 1, 0}}, new float[2], 3);
    assertEquals("validationSplit(0.01) of 40 rows holds out no row: use a fraction of at least "
        + "0.013 or pass validation(Dataset)", rejected(() -> Trainer.of(new SquaredErrorModel(3,
            2)).optimizer(sgd).validationSplit(0.01).fit(data)));
    Dataset one = Synthetic.linear(1, new float[][] {{1, 2, 3}, {0, 1, 0}}, new float[2], 3);
    assertEquals("validationSplit(0.6) of 1 row leaves no row to train on: use a smaller "
        + "fraction or more data", rejected(() -> Trainer.of(new SquaredErrorModel(3, 2))
            .optimizer(sgd).validationSplit(0.6).fit(one)));
    assertEquals(0, sgd.steps());
  }
}
