package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.testing.LogisticModel;
import dev.annonet.testing.SoftmaxModel;
import dev.annonet.testing.SquaredErrorModel;
import dev.annonet.testing.Synthetic;
import dev.annonet.testing.TestSgd;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValidationSplitTest {

  private static final float[][] W = {{1.5f, -2f, 0.5f}, {0.25f, 1f, -1f}};
  private static final float[] B = {0.3f, -0.7f};

  private static Run prepare(Model model, Dataset data, double fraction, long seed) {
    return Trainer.of(model).optimizer(new TestSgd(0.1f)).validationSplit(fraction).seed(seed)
        .prepare(data);
  }

  /** Each row of the two parts, as text, checking that no row is in both. */
  private static Set<String> disjointRows(Dataset a, Dataset b) {
    Set<String> rows = new HashSet<>();
    for (Dataset part : new Dataset[] {a, b}) {
      for (int i = 0; i < part.size(); i++) {
        String row = Arrays.toString(part.row(i)) + Arrays.toString(part.targetRow(i));
        assertTrue(rows.add(row), "row " + row + " is in both parts");
      }
    }
    return rows;
  }

  @Test
  void heldOutRowsAreDisjointCompleteAndFromTheSeed() {
    Dataset data = Synthetic.linear(203, W, B, 1);
    Run a = prepare(new SquaredErrorModel(3, 2), data, 0.2, 5);
    assertEquals(41, a.validation().size());
    assertEquals(162, a.train().size());
    Set<String> all = disjointRows(a.train(), a.validation());
    Set<String> given = disjointRows(data, Dataset.of(new float[3], 3, new float[2], 2));
    given.remove(Arrays.toString(new float[3]) + Arrays.toString(new float[2]));
    assertEquals(given, all, "every row is on exactly one side");

    Run again = prepare(new SquaredErrorModel(3, 2), data, 0.2, 5);
    assertArrayEquals(a.validation().features(), again.validation().features());
    assertArrayEquals(a.train().targets(), again.train().targets());
    // The sets are those of Dataset.split with the trainer's seed.
    assertArrayEquals(data.split(0.2, 5).test().features(), a.validation().features());

    Run other = prepare(new SquaredErrorModel(3, 2), data, 0.2, 6);
    assertNotEquals(Arrays.toString(a.validation().features()),
        Arrays.toString(other.validation().features()));
  }

  @Test
  void classifiersGetAStratifiedSplit() {
    // Classes of very different sizes: labels from the first feature's quantiles.
    float[] x = Synthetic.features(300, 2, 3);
    float[] y = new float[300];
    for (int i = 0; i < 300; i++) {
      y[i] = x[2 * i] < 0.6f ? 0 : x[2 * i] < 0.9f ? 1 : 2;
    }
    Dataset data = Dataset.of(x, 2, y, 1);
    Run run = prepare(new SoftmaxModel(2, 3), data, 0.2, 9);
    Dataset.Split stratified = data.stratifiedSplit(0.2, 9);
    assertArrayEquals(stratified.test().features(), run.validation().features());
    assertArrayEquals(stratified.train().features(), run.train().features());
    int[] all = new int[3];
    int[] held = new int[3];
    for (int label : data.labels()) {
      all[label]++;
    }
    for (int label : run.validation().labels()) {
      held[label]++;
    }
    for (int c = 0; c < 3; c++) {
      assertEquals(0.2 * all[c], held[c], 1.0, "class " + c + ": " + held[c] + " of " + all[c]);
    }
    disjointRows(run.train(), run.validation());

    float[] rare = new float[300];
    for (int i = 0; i < 300; i += 10) {
      rare[i] = 1;
    }
    Dataset binary = Dataset.of(x, 2, rare, 1);
    Run one = prepare(new LogisticModel(2), binary, 0.1, 2);
    assertEquals(3, Arrays.stream(one.validation().labels()).sum(), "3 of the 30 ones held out");
    assertEquals(30, one.validation().size());
    assertArrayEquals(binary.stratifiedSplit(0.1, 2).test().features(),
        one.validation().features());
  }

  @Test
  void theReportMeasuresTheHeldOutRowsAndTrainsOnTheRest() {
    Dataset data = Synthetic.separable(250, 4, 3, 7);
    Model m = new SoftmaxModel(4, 3);
    m.initialize(2);
    TrainingReport r = Trainer.of(m).optimizer(new TestSgd(0.5f)).batchSize(16).epochs(5)
        .validationSplit(0.3).seed(3).quiet().fit(data);
    Dataset.Split split = data.stratifiedSplit(0.3, 3);
    Dataset held = split.test();
    assertEquals(m.loss(held.features(), held.targets(), held.size()), r.validation().loss(),
        1e-6);
    assertEquals(ConfusionMatrix.of(m, held).accuracy(), r.validation().accuracy());
    Dataset train = split.train();
    assertEquals(m.loss(train.features(), train.targets(), train.size()), r.train().loss(),
        1e-6);
    // ceil(175 / 16) = 11 updates per epoch: the held-out rows are not trained on.
    assertEquals(55, r.updates());
  }
}
