package dev.annonet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetTest {

  private static Dataset numbered(int n) {
    // Row i has features (i, 10 i) and target 100 i, so rows can be traced through splits.
    float[][] x = new float[n][];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = new float[] {i, 10 * i};
      y[i] = 100 * i;
    }
    return Dataset.regression(x, y);
  }

  @Test
  void factoriesStoreRowsFlat() {
    Dataset d = Dataset.regression(new float[][] {{1, 2}, {3, 4}, {5, 6}},
        new float[][] {{7}, {8}, {9}});
    assertEquals(3, d.size());
    assertEquals(2, d.inputSize());
    assertEquals(1, d.targetSize());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, d.features());
    assertArrayEquals(new float[] {7, 8, 9}, d.targets());
    assertArrayEquals(new float[] {3, 4}, d.row(1));
    assertEquals(6, d.feature(2, 1));
    assertEquals(9, d.target(2, 0));

    Dataset c = Dataset.classification(new float[][] {{0}, {1}, {2}}, new int[] {2, 0, 1});
    assertArrayEquals(new float[] {2, 0, 1}, c.targets());
    assertEquals(0, c.label(1));
    assertEquals(3, c.classCount());
  }

  @Test
  void isImmutable() {
    float[] x = {1, 2, 3, 4};
    Dataset d = Dataset.of(x, 2, new float[] {5, 6}, 1);
    x[0] = 99;
    d.features()[1] = 99;
    d.row(0)[0] = 99;
    assertArrayEquals(new float[] {1, 2, 3, 4}, d.features());
  }

  @Test
  void raggedRowIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.regression(new float[][] {{1, 2}, {3, 4}, {5}}, new float[] {1, 2, 3}));
    assertEquals("row 2 has 1 feature values but row 0 has 2: every row needs the same "
        + "number of columns", e.getMessage());
  }

  @Test
  void nanAndInfinityAreNamedByRowAndColumn() {
    float[] x = new float[20 * 4];
    x[17 * 4 + 3] = Float.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.of(x, 4, new float[20], 1));
    assertEquals("row 17, column 3 is NaN: clean or drop it before training", e.getMessage());

    float[] y = new float[20];
    y[5] = Float.NEGATIVE_INFINITY;
    e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.of(new float[20 * 4], 4, y, 1));
    assertEquals("row 5, target column 0 is infinite: clean or drop it before training",
        e.getMessage());
  }

  @Test
  void emptyDatasetIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.of(new float[0], 3, new float[0], 1));
    assertEquals("the dataset has no rows: a dataset needs one sample or more", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Dataset.regression(new float[0][], new float[0]));
  }

  @Test
  void negativeLabelIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.classification(new float[][] {{0}, {1}}, new int[] {0, -1}));
    assertEquals("row 1 has label -1: class labels are indices 0, 1, 2, ...; re-encode the "
        + "labels", e.getMessage());
  }

  @Test
  void mismatchedLengthsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.of(new float[6], 2, new float[4], 1));
    assertEquals("flatX holds 3 rows but flatY holds 4: give one target row per feature row",
        e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Dataset.of(new float[7], 2, new float[3], 1));
  }

  @Test
  void splitIsDeterministicDisjointAndComplete() {
    Dataset d = numbered(50);
    Dataset.Split a = d.split(0.2, 7);
    Dataset.Split b = d.split(0.2, 7);
    assertEquals(10, a.test().size());
    assertEquals(40, a.train().size());
    assertArrayEquals(a.train().features(), b.train().features());
    assertArrayEquals(a.test().targets(), b.test().targets());

    Set<Integer> seen = new HashSet<>();
    for (Dataset part : new Dataset[] {a.train(), a.test()}) {
      for (int i = 0; i < part.size(); i++) {
        int id = (int) part.feature(i, 0);
        // Rows stay whole: features and target still belong together.
        assertEquals(10 * id, part.feature(i, 1));
        assertEquals(100 * id, part.target(i, 0));
        assertFalse(!seen.add(id), "row " + id + " appears twice");
      }
    }
    assertEquals(50, seen.size());

    Dataset.Split other = d.split(0.2, 8);
    assertNotEquals(Arrays.toString(a.test().features()),
        Arrays.toString(other.test().features()));
  }

  @Test
  void subsetAndMaps() {
    Dataset d = numbered(5);
    Dataset s = d.subset(new int[] {4, 1, 1});
    assertArrayEquals(new float[] {4, 40, 1, 10, 1, 10}, s.features());
    assertArrayEquals(new float[] {400, 100, 100}, s.targets());
    assertArrayEquals(new float[] {0.5f, 5, 2, 20}, s.subset(new int[] {1, 0}).scaleFeatures(0.5f)
        .features());
    Dataset shifted = d.mapFeatures((column, v) -> column == 0 ? v + 1 : v)
        .mapTargets((column, v) -> -v);
    assertArrayEquals(new float[] {3, 20}, shifted.row(2));
    assertEquals(-200, shifted.target(2, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> d.subset(new int[] {5}));
  }

  @Test
  void copyRowsFollowsTheOrder() {
    Dataset d = numbered(4);
    float[] x = new float[6];
    float[] y = new float[3];
    d.copyRows(new int[] {3, 0, 2, 1}, 1, 3, x, y);
    assertArrayEquals(new float[] {0, 0, 2, 20, 1, 10}, x);
    assertArrayEquals(new float[] {0, 200, 100}, y);
  }
}
