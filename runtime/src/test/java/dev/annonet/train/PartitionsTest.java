package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.optim.Adam;
import dev.annonet.testing.SoftmaxModel;
import dev.annonet.testing.Synthetic;
import dev.annonet.testing.TestLineSearch;
import dev.annonet.testing.TestSgd;
import org.junit.jupiter.api.Test;

/**
 * Trainer.partitions computes each minibatch gradient as data-parallel training over the given
 * partitions does, and one partition (or one non-empty one) is plain training bit for bit.
 */
class PartitionsTest {

  private static Model model() {
    SoftmaxModel m = new SoftmaxModel(5, 3);
    m.initialize(11);
    return m;
  }

  private static Model train(Dataset data, int... partitions) {
    Model m = model();
    Trainer t = Trainer.of(m).optimizer(Adam.defaults().lr(0.05f)).batchSize(16).epochs(4).seed(3)
        .quiet();
    if (partitions.length > 0) {
      t.partitions(partitions);
    }
    t.fit(data);
    return m;
  }

  private static void assertSameBits(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
          "parameter " + i + ": " + expected[i] + " vs " + actual[i]);
    }
  }

  @Test
  void onePartitionOrOneNonEmptyOneIsPlainTraining() {
    Dataset data = Synthetic.separable(101, 5, 3, 7);
    float[] plain = train(data).parameters();
    assertSameBits(plain, train(data, 101).parameters());
    assertSameBits(plain, train(data, 0, 101, 0).parameters());
  }

  @Test
  void severalPartitionsAreDeterministicAndTrain() {
    Dataset data = Synthetic.separable(101, 5, 3, 7);
    Model a = train(data, 30, 0, 50, 21);
    assertSameBits(a.parameters(), train(data, 30, 0, 50, 21).parameters());
    // Another split of the same rows sums other slices (equal up to rounding only).
    float[] b = train(data, 50, 51).parameters();
    boolean differs = false;
    for (int i = 0; i < b.length; i++) {
      differs |= b[i] != a.parameters()[i];
      assertEquals(a.parameters()[i], b[i], 1e-5, "parameter " + i);
    }
    assertTrue(differs, "two partitionings gave identical bits: the slices were not summed");
    assertTrue(Metrics.of(a, data).loss() < Metrics.of(model(), data).loss() / 2,
        Metrics.of(a, data) + " vs untrained " + Metrics.of(model(), data));
  }

  @Test
  void aStepIsTheRowWeightedMeanOfThePartitionsSliceGradients() {
    Dataset data = Synthetic.separable(40, 5, 3, 8);
    Model trained = model();
    float lr = 0.5f;
    Trainer.of(trained).optimizer(new TestSgd(lr)).batchSize(40).epochs(1).seed(4)
        .partitions(15, 25).quiet().fit(data);

    // The one update by hand: the full batch in the epoch's order, split by partition.
    int[] order = new SampleOrder(40, 4).next();
    Model m = model();
    double[] sum = new double[m.parameterCount()];
    for (int[] range : new int[][] {{0, 15}, {15, 40}}) {
      int rows = 0;
      float[] x = new float[40 * 5];
      float[] y = new float[40];
      for (int row : order) {
        if (row >= range[0] && row < range[1]) {
          System.arraycopy(data.row(row), 0, x, rows * 5, 5);
          y[rows++] = data.target(row, 0);
        }
      }
      m.lossAndGradient(x, y, rows);
      for (int i = 0; i < sum.length; i++) {
        sum[i] += (double) m.gradients()[i] * rows;
      }
    }
    float[] expected = m.parameters().clone();
    for (int i = 0; i < expected.length; i++) {
      expected[i] -= lr * (float) (sum[i] / 40);
    }
    assertSameBits(expected, trained.parameters());
  }

  @Test
  void refusesSizesThatDoNotCoverTheTrainingRows() {
    Dataset data = Synthetic.separable(100, 5, 3, 7);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.of(model()).optimizer(Adam.defaults()).partitions(50, 40).quiet()
            .fit(data));
    assertTrue(e.getMessage().contains("add up to 90 rows but the training set has 100"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.of(model()).optimizer(Adam.defaults()).validationSplit(0.2)
            .partitions(100).quiet().fit(data));
    assertTrue(e.getMessage().contains("has 80 (after validationSplit)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.of(model()).partitions(50, -1));
    assertTrue(e.getMessage().contains("size 1 is -1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Trainer.of(model()).partitions());
    e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.of(model()).optimizer(new TestLineSearch(1f)).partitions(100).quiet()
            .fit(data));
    assertTrue(e.getMessage().contains("full-batch"), e.getMessage());
  }

  @Test
  void gradientSumGivesASingleSliceBackExactly() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    float[] g = new float[1000];
    for (int i = 0; i < g.length; i++) {
      // Normal, tiny (subnormal) and huge values, both signs.
      g[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-44, 38)));
    }
    g[0] = Float.MIN_VALUE;
    g[1] = -Float.MAX_VALUE;
    g[2] = -0f;
    GradientSum sum = new GradientSum(g.length);
    float[] out = new float[g.length];
    for (int rows : new int[] {1, 3, 64, 1000, 999_983}) {
      sum.clear();
      sum.add(rows, 0.1f, g);
      sum.meanGradient(out);
      assertSameBits(g, out);
      assertEquals(0.1f, sum.loss());
      assertEquals(rows, sum.rows());
    }
    assertNotEquals(0, g[3]);
  }
}
