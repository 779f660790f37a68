package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.testing.LogisticModel;
import dev.annonet.testing.SoftmaxModel;
import dev.annonet.testing.SquaredErrorModel;
import dev.annonet.testing.Synthetic;
import dev.annonet.testing.TestSgd;
import org.junit.jupiter.api.Test;

/** Every bad configuration or data set is rejected by fit() before any update, with its fix. */
class TrainerInputTest {

  private final TestSgd sgd = new TestSgd(0.1f);

  /** The message of the failure, which comes at validation(...) or else at fit(). */
  private String failure(Model model, Dataset data, Dataset validation) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.of(model).optimizer(sgd).validation(validation).quiet().fit(data));
    assertEquals(0, sgd.steps(), "no update may happen before the input is checked");
    return e.getMessage();
  }

  private String failure(Trainer trainer, Dataset data) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> trainer.fit(data));
    assertEquals(0, sgd.steps(), "no update may happen before the input is checked");
    return e.getMessage();
  }

  private static Dataset rows(int n, int in, float[] y, int targetSize) {
    return Dataset.of(Synthetic.features(n, in, 1), in, y, targetSize);
  }

  @Test
  void inputWidthMismatch() {
    Model m = new SoftmaxModel(64, 10);
    float[] before = m.parameters().clone();
    assertEquals("the network takes 64 inputs per sample but the dataset rows have 13 values: "
        + "give it 64 feature columns (is the target column among the features?) or change "
        + "the network's @Input size", failure(m, rows(5, 13, new float[5], 1), null));
    assertEquals("the network takes 64 inputs per sample but the validation dataset rows have "
        + "13 values: give it 64 feature columns (is the target column among the features?) or "
        + "change the network's @Input size",
        failure(m, rows(5, 64, new float[5], 1), rows(5, 13, new float[5], 1)));
    assertArrayEquals(before, m.parameters());
  }

  @Test
  void targetWidthMismatch() {
    assertEquals("the network takes 1 target per sample (a class index) but the dataset has 10 "
        + "per row: store labels as class indices, not one-hot vectors",
        failure(new SoftmaxModel(3, 10), rows(4, 3, new float[40], 10), null));
    assertEquals("the network takes 2 target(s) per sample, one per output but the dataset "
        + "has 1 per row: give it 2 target columns or change the last layer",
        failure(new SquaredErrorModel(3, 2), rows(4, 3, new float[4], 1), null));
  }

  @Test
  void classLabelsOutOfRangeOrNotIntegers() {
    assertEquals("row 2 of the dataset has label 10 but the network has 10 classes (labels "
        + "0..9): re-encode the labels or give the last layer more units",
        failure(new SoftmaxModel(3, 10), rows(4, 3, new float[] {0, 9, 10, 1}, 1), null));
    assertEquals("row 1 of the validation dataset has label 2.5, which is not a class index: "
        + "labels must be whole numbers 0..9 (is this a regression target?)",
        failure(new SoftmaxModel(3, 10), rows(4, 3, new float[] {0, 9, 1, 1}, 1),
            rows(2, 3, new float[] {1, 2.5f}, 1)));
  }

  @Test
  void binaryTargetsMustBeZeroOrOne() {
    assertEquals("row 3, target column 0 of the dataset is 2.0 but a binary network needs "
        + "targets 0 or 1: re-encode the target (or use a regression loss)",
        failure(new LogisticModel(3), rows(4, 3, new float[] {0, 1, 1, 2}, 1), null));
  }

  @Test
  void optimizerIsRequired() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Trainer.of(new SquaredErrorModel(3, 2)).fit(rows(4, 3, new float[8], 2)));
    assertEquals("no optimizer: call optimizer(...) before fit, e.g. "
        + "Trainer.of(model).optimizer(Adam.defaults())", e.getMessage());
  }
}
