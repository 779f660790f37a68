package dev.annonet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Next-token windows: inputs ids[s..s+T), targets ids[s+1..s+T+1), at the first and last
 * window, for every stride; and the held-out tail.
 */
class TokenWindowsTest {

  /** ids[i] = i, so that every value says where in the stream it came from. */
  private static int[] positions(int n) {
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    return ids;
  }

  private static int[] randomIds(int n, int vocabulary, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = random.nextInt(vocabulary);
    }
    return ids;
  }

  @Test
  void eachWindowHoldsItsIdsAndTheNextIdAtEveryPosition() {
    Dataset d = TokenWindows.of(positions(10), 3, 1);
    assertEquals(3, d.inputSize());
    assertEquals(3, d.targetSize());
    assertEquals(7, d.size());   // starts 0..6: the last target of start 6 is id 9
    for (int w = 0; w < d.size(); w++) {
      for (int t = 0; t < 3; t++) {
        assertEquals(w + t, d.feature(w, t), "window " + w + " input " + t);
        assertEquals(w + t + 1, d.target(w, t), "window " + w + " target " + t);
      }
    }
    // The last window ends on the stream's last id.
    assertEquals(9, d.target(6, 2));
  }

  @Test
  void theStrideSpacesTheStartsAndDropsAShortTail() {
    int n = 10;
    int length = 4;
    for (int stride = 1; stride <= 8; stride++) {
      Dataset d = TokenWindows.of(positions(n), length, stride);
      int windows = 0;
      for (int start = 0; start + length + 1 <= n; start += stride) {
        windows++;
      }
      assertEquals(windows, d.size(), "stride " + stride);
      assertEquals(windows, TokenWindows.count(n, length, stride), "stride " + stride);
      for (int w = 0; w < d.size(); w++) {
        assertEquals(w * stride, d.feature(w, 0), "stride " + stride + ", window " + w);
        assertEquals(w * stride + length, d.target(w, length - 1));
      }
    }
  }

  @Test
  void theRowsAreThoseOfDatasetTokens() {
    int[] ids = randomIds(200, 30, 3);
    int length = 16;
    int stride = 5;
    int windows = (ids.length - length - 1) / stride + 1;
    int[][] x = new int[windows][length];
    int[][] y = new int[windows][length];
    for (int w = 0; w < windows; w++) {
      System.arraycopy(ids, w * stride, x[w], 0, length);
      System.arraycopy(ids, w * stride + 1, y[w], 0, length);
    }
    Dataset expected = Dataset.tokens(x, y);
    Dataset actual = TokenWindows.of(ids, length, stride);
    assertEquals(expected.size(), actual.size());
    assertEquals(expected.fingerprint(), actual.fingerprint());
  }

  @Test
  void exactlyOneWindowNeedsLengthPlusOneIds() {
    Dataset d = TokenWindows.of(positions(6), 5, 3);
    assertEquals(1, d.size());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TokenWindows.of(positions(5), 5, 1));
    assertEquals("5 ids are too few for one window of 5: a window needs 6 (its 5 inputs and the"
        + " id after them, the last target); use a longer text or a shorter window",
        e.getMessage());
  }

  @Test
  void aRangeKeepsEveryInputAndTargetInside() {
    int[] ids = positions(50);
    Dataset d = TokenWindows.of(ids, 20, 35, 4, 2);
    assertEquals(TokenWindows.count(15, 4, 2), d.size());
    float[] x = d.features();
    float[] y = d.targets();
    for (int i = 0; i < x.length; i++) {
      assertTrue(x[i] >= 20 && x[i] < 35 && y[i] >= 20 && y[i] < 35, "value " + i);
    }
    assertEquals(20, d.feature(0, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> TokenWindows.of(ids, 40, 51, 4, 1));
  }

  @Test
  void theSplitHoldsOutTheTailAndNoWindowCrossesIt() {
    int n = 1000;
    int[] ids = positions(n);
    int cut = TokenWindows.splitPoint(n, 0.1);
    assertEquals(900, cut);
    Dataset.Split split = TokenWindows.split(ids, 8, 3, 0.1);
    float trainMax = 0;
    for (float v : split.train().targets()) {
      trainMax = Math.max(trainMax, v);
    }
    float testMin = Float.MAX_VALUE;
    for (float v : split.test().features()) {
      testMin = Math.min(testMin, v);
    }
    assertTrue(trainMax < cut, "a training target is held-out id " + trainMax);
    assertEquals(cut, testMin, "the validation windows start at the cut");
    assertEquals(TokenWindows.count(cut, 8, 3), split.train().size());
    assertEquals(TokenWindows.count(n - cut, 8, 3), split.test().size());
  }

  @Test
  void theSplitIsTheSameOnEveryCall() {
    int[] ids = randomIds(777, 50, 11);
    Dataset.Split a = TokenWindows.split(ids, 10, 1, 0.15);
    Dataset.Split b = TokenWindows.split(ids.clone(), 10, 1, 0.15);
    assertEquals(a.train().fingerprint(), b.train().fingerprint());
    assertEquals(a.test().fingerprint(), b.test().fingerprint());
    assertEquals(777 - Math.round(0.15 * 777), TokenWindows.splitPoint(777, 0.15));
  }

  @Test
  void badSettingsAreNamed() {
    int[] ids = positions(100);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TokenWindows.of(ids, 0, 1));
    assertTrue(e.getMessage().startsWith("window length must be at least 1, got 0"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TokenWindows.of(ids, 8, 0));
    assertEquals("stride must be at least 1, got 0: 1 starts a window at every id, 8 gives "
        + "windows that do not overlap", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TokenWindows.of(new int[] {1, 2, -4, 3}, 2, 1));
    assertTrue(e.getMessage().startsWith("position 2 holds token id -4"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TokenWindows.split(ids, 8, 1, 1.0));
    assertTrue(e.getMessage().startsWith("validationFraction must be between 0 and 1"),
        e.getMessage());
    // 5% of 100 ids is 5, less than one window of 8 needs.
    e = assertThrows(IllegalArgumentException.class, () -> TokenWindows.split(ids, 8, 1, 0.05));
    assertEquals("the held-out 0.05 of 100 ids is 5 ids, fewer than the 9 of one window of 8: "
        + "hold out a larger fraction (at least 0.09) or use a longer text", e.getMessage());
    assertEquals(9, 100 - TokenWindows.splitPoint(100, 0.09), "the suggested fraction works");
    e = assertThrows(IllegalArgumentException.class, () -> TokenWindows.split(ids, 8, 1, 0.95));
    assertTrue(e.getMessage().startsWith("after holding out 0.95 of 100 ids, 5 are left"),
        e.getMessage());
  }
}
