package dev.annonet.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks a token id from a model's scores over the vocabulary: at random with a temperature and
 * optionally only among the k most likely ({@link #sample}), or the most likely one ({@link
 * #greedy}).
 *
 * <p>With logits {@code z} and temperature {@code tau}, id {@code i} is drawn with probability
 * {@code softmax(z / tau)_i = exp(z_i / tau) / sum_j exp(z_j / tau)}, computed after
 * subtracting the largest {@code z_j}, so that logits of any size neither overflow nor vanish.
 * {@code tau = 1} samples the model's own distribution, {@code tau < 1} sharpens it towards the
 * most likely ids, {@code tau > 1} flattens it towards uniform. As {@code tau} goes to 0 the draw
 * becomes the arg max: call {@link #greedy} for that limit (a temperature of 0 is refused).
 *
 * <p>Top-k keeps the {@code k} largest scores (ties broken towards the lower id, so exactly
 * {@code k} ids remain) and renormalises the softmax over them; the others are never drawn.
 *
 * <p>A generated model's {@code predict} already applies the softmax: {@link
 * #sampleProbabilities} takes its probabilities {@code p}, which is the same as sampling the
 * logits {@code log p} ({@code softmax(log p / tau)} is {@code p^(1/tau)} renormalised; an id of
 * probability 0 is never drawn).
 *
 * <p>Scores are read from {@code values[offset .. offset + n)}, so that the last position of a
 * {@code [T][V]} output is {@code offset = (T - 1) * V, n = V}. The same {@code random} state
 * gives the same ids. Each draw allocates one array of {@code n}, small next to a forward pass.
 */
public final class Sampling {
  private Sampling() {}

  /** A draw from {@code softmax(logits / temperature)} over all of {@code logits}. */
  public static int sample(float[] logits, double temperature, SplittableRandom random) {
    return sample(logits, 0, logits.length, temperature, logits.length, random);
  }

  /** A draw from {@code softmax(logits / temperature)} over the {@code topK} largest logits. */
  public static int sample(float[] logits, double temperature, int topK,
      SplittableRandom random) {
    return sample(logits, 0, logits.length, temperature, topK, random);
  }

  /**
   * A draw from {@code softmax(z / temperature)} over the {@code topK} largest of the logits
   * {@code z = logits[offset .. offset + n)}; the result is in {@code [0, n)}.
   *
   * @throws IllegalArgumentException if the temperature is not a finite number above 0, {@code
   *     topK} is not in {@code [1, n]}, or a logit is NaN or infinite
   */
  public static int sample(float[] logits, int offset, int n, double temperature, int topK,
      SplittableRandom random) {
    check(logits, offset, n, temperature, topK);
    double[] scores = new double[n];
    for (int i = 0; i < n; i++) {
      float z = logits[offset + i];
      if (!Float.isFinite(z)) {
        throw new IllegalArgumentException("logit " + i + " is " + z + ": logits must be finite"
            + " (did training diverge?)");
      }
      scores[i] = z;
    }
    return draw(scores, temperature, topK, random);
  }

  /**
   * A draw from the probabilities {@code p = probabilities[offset .. offset + n)} (a row of a
   * generated model's {@code predict} output) sharpened or flattened by the temperature, {@code
   * p^(1/temperature)} renormalised, over the {@code topK} most likely ids.
   *
   * @throws IllegalArgumentException as {@link #sample(float[], int, int, double, int,
   *     SplittableRandom)}, or if a probability is negative or not finite, or all are 0
   */
  public static int sampleProbabilities(float[] probabilities, int offset, int n,
      double temperature, int topK, SplittableRandom random) {
    check(probabilities, offset, n, temperature, topK);
    double[] scores = new double[n];
    boolean any = false;
    for (int i = 0; i < n; i++) {
      float p = probabilities[offset + i];
      if (!(p >= 0) || p == Float.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("probability " + i + " is " + p + ": probabilities "
            + "are finite and at least 0; pass raw scores to Sampling.sample instead");
      }
      any |= p > 0;
      scores[i] = Math.log(p);   // -Infinity for p = 0: never drawn
    }
    if (!any) {
      throw new IllegalArgumentException("all " + n + " probabilities are 0: there is nothing "
          + "to draw (did training diverge?)");
    }
    return draw(scores, temperature, topK, random);
  }

  /**
   * The id of the largest of {@code values} (logits or probabilities), the lowest id among
   * equals: the limit of {@link #sample} as the temperature goes to 0.
   */
  public static int greedy(float[] values) {
    return greedy(values, 0, values.length);
  }

  /** The arg max of {@code values[offset .. offset + n)}, in {@code [0, n)}; ties to the lower. */
  public static int greedy(float[] values, int offset, int n) {
    checkRange(values, offset, n);
    int best = 0;
    for (int i = 0; i < n; i++) {
      float v = values[offset + i];
      if (Float.isNaN(v)) {
        throw new IllegalArgumentException("score " + i + " is NaN: the arg max is undefined "
            + "(did training diverge?)");
      }
      if (v > values[offset + best]) {
        best = i;
      }
    }
    return best;
  }

  /**
   * Draws from {@code exp(scores / temperature)} renormalised over the {@code topK} largest
   * scores (lowest ids first among equals). A score of {@code -Infinity} has weight 0; the
   * largest score is finite. Overwrites {@code scores} with the weights.
   */
  private static int draw(double[] scores, double temperature, int topK,
      SplittableRandom random) {
    int n = scores.length;
    double threshold = Double.NEGATIVE_INFINITY;
    int atThreshold = n;   // how many scores equal to the threshold are kept
    if (topK < n) {
      double[] sorted = scores.clone();
      Arrays.sort(sorted);
      threshold = sorted[n - topK];
      atThreshold = topK - (n - upperBound(sorted, threshold));
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double s : scores) {
      max = Math.max(max, s);
    }
    // Subtracting the largest score first keeps every exponent at most 0, whatever the
    // temperature: no overflow, and the largest weight is exactly 1.
    double total = 0;
    for (int i = 0; i < n; i++) {
      double s = scores[i];
      boolean kept = s > threshold || (s == threshold && atThreshold-- > 0);
      double w = kept && s != Double.NEGATIVE_INFINITY ? Math.exp((s - max) / temperature) : 0;
      scores[i] = w;
      total += w;
    }
    // Walk the cumulative weights to u * total; rounding can leave u just past the end, where
    // the last id with a weight is the answer.
    double u = random.nextDouble() * total;
    int last = -1;
    for (int i = 0; i < n; i++) {
      if (scores[i] > 0) {
        last = i;
        u -= scores[i];
        if (u < 0) {
          return i;
        }
      }
    }
    return last;
  }

  /** The index of the first entry of ascending {@code sorted} greater than {@code value}. */
  private static int upperBound(double[] sorted, double value) {
    int i = sorted.length;
    while (i > 0 && sorted[i - 1] > value) {
      i--;
    }
    return i;
  }

  private static void check(float[] values, int offset, int n, double temperature, int topK) {
    checkRange(values, offset, n);
    checkTemperature(temperature);
    if (topK < 1 || topK > n) {
      throw new IllegalArgumentException("topK must be between 1 and the vocabulary size " + n
          + ", got " + topK + ": " + n + " keeps every id, 1 is greedy");
    }
  }

  static void checkTemperature(double temperature) {
    if (!(temperature > 0) || temperature == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("temperature must be a finite number above 0, got "
          + temperature + ": 1 samples the model's distribution, below 1 sharpens it; for the "
          + "most likely token (the limit at 0) call Sampling.greedy");
    }
  }

  private static void checkRange(float[] values, int offset, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("no scores to choose from (n = " + n + "): pass the "
          + "vocabulary size");
    }
    if (offset < 0 || offset > values.length - n) {
      throw new IndexOutOfBoundsException("scores [" + offset + ", " + ((long) offset + n)
          + ") are outside the array of " + values.length + ": for the last position of a "
          + "[T][V] output pass offset (T - 1) * V and n = V");
    }
  }
}
