package dev.annonet.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sampling a token id: the empirical frequencies of many seeded draws against
 * softmax(logits / temperature), top-k, the greedy limit, and errors for bad input.
 *
 * <p>The frequency checks use Pearson's statistic {@code X2 = sum (observed - expected)^2 /
 * expected} over the ids, which for correct draws follows a chi-square distribution with
 * (ids - 1) degrees of freedom. Each test fails when X2 exceeds the 0.999 quantile of that
 * distribution (a correct sampler fails one such check in a thousand seeds; these seeds are
 * fixed, so the outcome is too). Each also checks that the same statistic against a wrong
 * distribution (the temperature ignored) is far above the bound, so the bound can catch the bug.
 */
class SamplingTest {
  private static final int DRAWS = 100_000;
  private static final float[] LOGITS = {2.0f, 1.0f, 0.5f, 0.0f, -1.0f, -3.0f};

  /** 0.999 quantiles of the chi-square distribution, by degrees of freedom (standard tables). */
  private static double chiSquare999(int degreesOfFreedom) {
    return switch (degreesOfFreedom) {
      case 1 -> 10.828;
      case 2 -> 13.816;
      case 3 -> 16.266;
      case 4 -> 18.467;
      case 5 -> 20.515;
      default -> throw new IllegalArgumentException("no table entry for " + degreesOfFreedom);
    };
  }

  /** softmax(z / temperature) over the ids {@code kept}, 0 elsewhere, written plainly. */
  private static double[] softmax(float[] z, double temperature, boolean[] kept) {
    double[] p = new double[z.length];
    double total = 0;
    for (int i = 0; i < z.length; i++) {
      p[i] = kept[i] ? Math.exp(z[i] / temperature) : 0;
      total += p[i];
    }
    for (int i = 0; i < z.length; i++) {
      p[i] /= total;
    }
    return p;
  }

  private static boolean[] all(int n) {
    boolean[] kept = new boolean[n];
    java.util.Arrays.fill(kept, true);
    return kept;
  }

  /** Pearson's X2 of the counts against the probabilities p (ids of p = 0 must not occur). */
  private static double pearson(int[] counts, double[] p) {
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    double x2 = 0;
    for (int i = 0; i < counts.length; i++) {
      if (p[i] == 0) {
        assertEquals(0, counts[i], "id " + i + " has probability 0 but was drawn");
        continue;
      }
      double expected = total * p[i];
      x2 += (counts[i] - expected) * (counts[i] - expected) / expected;
    }
    return x2;
  }

  private static int positive(double[] p) {
    int n = 0;
    for (double v : p) {
      n += v > 0 ? 1 : 0;
    }
    return n;
  }

  private interface Draw {
    int next(SplittableRandom random);
  }

  private static int[] counts(int n, long seed, Draw draw) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] counts = new int[n];
    for (int i = 0; i < DRAWS; i++) {
      counts[draw.next(random)]++;
    }
    return counts;
  }

  private static void assertFits(int[] counts, double[] p, double[] wrong) {
    double bound = chiSquare999(positive(p) - 1);
    double x2 = pearson(counts, p);
    assertTrue(x2 < bound, "X2 = " + x2 + " over the bound " + bound);
    double x2Wrong = pearson(counts, wrong);
    assertTrue(x2Wrong > 10 * bound, "the check cannot tell the wrong distribution: X2 = "
        + x2Wrong);
  }

  @Test
  void frequenciesMatchTheTemperedSoftmax() {
    boolean[] every = all(LOGITS.length);
    for (double temperature : new double[] {0.5, 1.0, 2.0}) {
      int[] counts = counts(LOGITS.length, 42,
          random -> Sampling.sample(LOGITS, temperature, random));
      double[] wrong = softmax(LOGITS, temperature == 1.0 ? 2.0 : 1.0, every);
      assertFits(counts, softmax(LOGITS, temperature, every), wrong);
    }
  }

  @Test
  void probabilitiesAreSampledAsTheirLogarithmsWouldBe() {
    double[] p = softmax(LOGITS, 1.0, all(LOGITS.length));
    float[] probabilities = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      probabilities[i] = (float) p[i];
    }
    double temperature = 0.7;
    int[] counts = counts(LOGITS.length, 7, random -> Sampling.sampleProbabilities(
        probabilities, 0, probabilities.length, temperature, probabilities.length, random));
    assertFits(counts, softmax(LOGITS, temperature, all(LOGITS.length)), p);
  }

  @Test
  void topKRenormalisesOverTheKLargest() {
    int k = 3;
    boolean[] kept = new boolean[LOGITS.length];
    for (int i = 0; i < k; i++) {
      kept[i] = true;   // LOGITS is in descending order
    }
    double temperature = 1.5;
    int[] counts = counts(LOGITS.length, 5,
        random -> Sampling.sample(LOGITS, temperature, k, random));
    assertFits(counts, softmax(LOGITS, temperature, kept),
        softmax(LOGITS, 1.0, kept));
  }

  @Test
  void topKNeverReturnsAnIdOutsideTheTopK() {
    SplittableRandom random = new SplittableRandom(9);
    for (int trial = 0; trial < 2000; trial++) {
      int n = 2 + random.nextInt(40);
      float[] z = new float[n];
      for (int i = 0; i < n; i++) {
        z[i] = random.nextInt(6) - 3;   // few distinct values: many ties
      }
      int k = 1 + random.nextInt(n);
      int id = Sampling.sample(z, 0.1 + 3 * random.nextDouble(), k, random);
      // Rank by value, then by the lower id on ties: exactly k ids qualify.
      int rank = 0;
      for (int j = 0; j < n; j++) {
        if (z[j] > z[id] || (z[j] == z[id] && j < id)) {
          rank++;
        }
      }
      assertTrue(rank < k, "trial " + trial + ": id " + id + " has rank " + rank + ", k " + k);
    }
  }

  @Test
  void tiesAtTheKthScoreKeepTheLowerIds() {
    float[] z = {1, 3, 3, 2, 3, 0};
    int[] counts = counts(z.length, 3, random -> Sampling.sample(z, 1.0, 2, random));
    boolean[] kept = {false, true, true, false, false, false};
    assertFits(counts, softmax(z, 1.0, kept), softmax(z, 1.0, all(z.length)));
  }

  @Test
  void largeLogitsDrawAsTheirDifferencesDo() {
    float[] shifted = new float[LOGITS.length];
    for (int i = 0; i < LOGITS.length; i++) {
      shifted[i] = LOGITS[i] + 1000;   // exp(1000 / 0.8) overflows a double
    }
    SplittableRandom a = new SplittableRandom(1);
    SplittableRandom b = new SplittableRandom(1);
    for (int i = 0; i < 1000; i++) {
      assertEquals(Sampling.sample(LOGITS, 0.8, a), Sampling.sample(shifted, 0.8, b), "draw " + i);
    }
  }

  @Test
  void aTinyTemperatureGivesTheGreedyChoice() {
    SplittableRandom random = new SplittableRandom(2);
    for (int trial = 0; trial < 500; trial++) {
      float[] z = new float[10];
      for (int i = 0; i < z.length; i++) {
        z[i] = (float) random.nextGaussian() * 1e5f;
      }
      assertEquals(Sampling.greedy(z), Sampling.sample(z, 1e-300, random), "trial " + trial);
    }
  }

  @Test
  void greedyIsTheArgMaxWithTiesToTheLowerId() {
    SplittableRandom random = new SplittableRandom(4);
    for (int trial = 0; trial < 500; trial++) {
      float[] z = new float[1 + random.nextInt(20)];
      for (int i = 0; i < z.length; i++) {
        z[i] = random.nextInt(5);
      }
      int expected = 0;
      for (int i = 1; i < z.length; i++) {
        if (z[i] > z[expected]) {
          expected = i;
        }
      }
      assertEquals(expected, Sampling.greedy(z), java.util.Arrays.toString(z));
    }
    assertEquals(1, Sampling.greedy(new float[] {Float.NEGATIVE_INFINITY, -1e38f, -1e38f}));
  }

  @Test
  void theLastRowOfASequenceOutputIsReadAtItsOffset() {
    int steps = 3;
    int vocabulary = 5;
    float[] out = new float[steps * vocabulary];
    out[1] = 50;    // row 0 favours id 1
    out[2 * vocabulary + 4] = 50;   // the last row favours id 4
    SplittableRandom random = new SplittableRandom(6);
    int offset = (steps - 1) * vocabulary;
    assertEquals(4, Sampling.greedy(out, offset, vocabulary));
    for (int i = 0; i < 100; i++) {
      assertEquals(4, Sampling.sample(out, offset, vocabulary, 1.0, vocabulary, random));
    }
    assertEquals(1, Sampling.greedy(out, 0, vocabulary));
  }

  @Test
  void theSameSeedGivesTheSameIds() {
    int[] a = new int[200];
    int[] b = new int[200];
    SplittableRandom ra = new SplittableRandom(77);
    SplittableRandom rb = new SplittableRandom(77);
    for (int i = 0; i < a.length; i++) {
      a[i] = Sampling.sample(LOGITS, 1.0, 4, ra);
      b[i] = Sampling.sample(LOGITS, 1.0, 4, rb);
    }
    assertArrayEquals(a, b);
  }

  @Test
  void aTemperatureOfZeroPointsToGreedy() {
    SplittableRandom random = new SplittableRandom(0);
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Sampling.sample(LOGITS, bad, random));
      assertEquals("temperature must be a finite number above 0, got " + bad + ": 1 samples the"
          + " model's distribution, below 1 sharpens it; for the most likely token (the limit at"
          + " 0) call Sampling.greedy", e.getMessage());
    }
  }

  @Test
  void badInputIsNamed() {
    SplittableRandom random = new SplittableRandom(0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Sampling.sample(LOGITS, 1.0, 0, random));
    assertEquals("topK must be between 1 and the vocabulary size 6, got 0: 6 keeps every id, 1 is"
        + " greedy", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Sampling.sample(LOGITS, 1.0, 7, random));
    e = assertThrows(IllegalArgumentException.class,
        () -> Sampling.sample(new float[] {0, Float.NaN}, 1.0, random));
    assertEquals("logit 1 is NaN: logits must be finite (did training diverge?)",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Sampling.greedy(new float[] {1, Float.NaN}));
    assertThrows(IllegalArgumentException.class, () -> Sampling.greedy(new float[0]));
    IndexOutOfBoundsException range = assertThrows(IndexOutOfBoundsException.class,
        () -> Sampling.sample(new float[10], 8, 4, 1.0, 4, random));
    assertTrue(range.getMessage().startsWith("scores [8, 12) are outside the array of 10"),
        range.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Sampling.sampleProbabilities(new float[] {0.5f, -0.1f}, 0, 2, 1.0, 2, random));
    assertTrue(e.getMessage().startsWith("probability 1 is -0.1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Sampling.sampleProbabilities(new float[3], 0, 3, 1.0, 3, random));
    assertEquals("all 3 probabilities are 0: there is nothing to draw (did training diverge?)",
        e.getMessage());
  }
}
