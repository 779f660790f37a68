package dev.annonet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Class labels: stratified splits and one-hot conversions. */
class ClassLabelsTest {

  /** Row i has feature i and the label given, so rows can be traced through splits. */
  private static Dataset labelled(int... labels) {
    float[][] x = new float[labels.length][];
    for (int i = 0; i < labels.length; i++) {
      x[i] = new float[] {i};
    }
    return Dataset.classification(x, labels);
  }

  /** 60 rows of class 0, 30 of class 1, 10 of class 2, interleaved. */
  private static Dataset unbalanced() {
    int[] labels = new int[100];
    for (int i = 0; i < 100; i++) {
      labels[i] = i % 10 == 0 ? 2 : i % 10 <= 3 ? 1 : 0;
    }
    return labelled(labels);
  }

  private static int[] counts(Dataset d, int classes) {
    int[] counts = new int[classes];
    for (int label : d.labels()) {
      counts[label]++;
    }
    return counts;
  }

  @Test
  void stratifiedSplitKeepsEachClassShare() {
    Dataset d = unbalanced();
    assertArrayEquals(new int[] {60, 30, 10}, counts(d, 3));
    Dataset.Split s = d.stratifiedSplit(0.2, 3);
    assertArrayEquals(new int[] {12, 6, 2}, counts(s.test(), 3));
    assertArrayEquals(new int[] {48, 24, 8}, counts(s.train(), 3));
    // Largest remainders: 15 test rows of 60/30/10 are 9/4.5/1.5, so 9 + 5 + 1 (tie to class 1).
    assertArrayEquals(new int[] {9, 5, 1}, counts(d.stratifiedSplit(0.15, 3).test(), 3));
  }

  @Test
  void stratifiedSplitIsDisjointCompleteAndReproducible() {
    Dataset d = unbalanced();
    Dataset.Split a = d.stratifiedSplit(0.3, 11);
    Dataset.Split b = d.stratifiedSplit(0.3, 11);
    assertArrayEquals(a.test().features(), b.test().features());
    assertArrayEquals(a.train().features(), b.train().features());
    Set<Integer> seen = new HashSet<>();
    for (Dataset part : new Dataset[] {a.train(), a.test()}) {
      for (int i = 0; i < part.size(); i++) {
        int row = (int) part.feature(i, 0);
        assertTrue(seen.add(row), "row " + row + " is in both parts");
        assertEquals(d.label(row), part.label(i), "rows stay whole");
      }
    }
    assertEquals(100, seen.size());
    assertEquals(30, a.test().size());
    assertNotEquals(Arrays.toString(a.test().features()),
        Arrays.toString(d.stratifiedSplit(0.3, 12).test().features()));
  }

  @Test
  void withOneClassTheStratifiedSplitIsThePlainSplit() {
    Dataset d = labelled(new int[37]);
    Dataset.Split plain = d.split(0.25, 5);
    Dataset.Split stratified = d.stratifiedSplit(0.25, 5);
    assertArrayEquals(plain.test().features(), stratified.test().features());
    assertArrayEquals(plain.train().features(), stratified.train().features());
  }

  @Test
  void stratifiedSplitNeedsClassLabels() {
    Dataset regression = Dataset.of(new float[] {1, 2, 3}, 1, new float[] {0.5f, 1, 2}, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> regression.stratifiedSplit(0.5, 1));
    assertEquals("row 0 has target 0.5, which is not a class index (a whole number 0, 1, 2, "
        + "...): labels need classification data", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> unbalanced().stratifiedSplit(1, 1));
    assertEquals("testFraction must be between 0 and 1 (exclusive), got 1.0", e.getMessage());
  }

  @Test
  void oneHotAndBack() {
    Dataset d = labelled(2, 0, 1, 2);
    Dataset hot = d.oneHot(4);
    assertEquals(4, hot.targetSize());
    assertArrayEquals(new float[] {0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0},
        hot.targets());
    assertArrayEquals(d.features(), hot.features());
    Dataset back = hot.fromOneHot();
    assertEquals(1, back.targetSize());
    assertArrayEquals(d.targets(), back.targets());
    assertArrayEquals(new int[] {2, 0, 1, 2}, back.labels());
  }

  @Test
  void oneHotRefusals() {
    Dataset d = labelled(2, 0, 3);
    assertEquals("row 2 has label 3 but oneHot(3) makes labels 0..2: pass classCount() (4) or "
        + "more", assertThrows(IllegalArgumentException.class, () -> d.oneHot(3)).getMessage());
    Dataset wide = Dataset.of(new float[] {1, 2}, 1, new float[] {0, 1, 1, 1}, 2);
    assertEquals("oneHot needs one class index per row but the dataset has 2 targets per row",
        assertThrows(IllegalArgumentException.class, () -> wide.oneHot(2)).getMessage());
    assertEquals("row 1 is not one-hot: its 2 targets [1.0, 1.0] need exactly one 1 and zeros "
        + "elsewhere", assertThrows(IllegalArgumentException.class, wide::fromOneHot)
            .getMessage());
    Dataset soft = Dataset.of(new float[] {1}, 1, new float[] {0.3f, 0.7f}, 2);
    assertEquals("row 0 is not one-hot: its 2 targets [0.3, 0.7] need exactly one 1 and zeros "
        + "elsewhere", assertThrows(IllegalArgumentException.class, soft::fromOneHot)
            .getMessage());
    assertEquals("row 0 has target 0.5, which is not a class index (a whole number 0, 1, 2, ...)"
        + ": labels need classification data; for one-hot targets call fromOneHot() first",
        assertThrows(IllegalArgumentException.class,
            () -> Dataset.of(new float[] {1}, 1, new float[] {0.5f, 0.5f}, 2).labels())
            .getMessage());
  }
}
