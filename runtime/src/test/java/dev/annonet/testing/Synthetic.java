package dev.annonet.testing;

import dev.annonet.data.Dataset;
import java.util.SplittableRandom;

/** Seeded synthetic data sets with known generating parameters. */
public final class Synthetic {

  private Synthetic() {}

  /** Uniform features in [-1, 1). */
  public static float[] features(int n, int in, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[n * in];
    for (int k = 0; k < x.length; k++) {
      x[k] = (float) random.nextDouble(-1, 1);
    }
    return x;
  }

  /** y = W x + b exactly (W is [out][in]). */
  public static Dataset linear(int n, float[][] w, float[] b, long seed) {
    int in = w[0].length;
    int out = w.length;
    float[] x = features(n, in, seed);
    float[] y = new float[n * out];
    for (int r = 0; r < n; r++) {
      for (int o = 0; o < out; o++) {
        double s = b[o];
        for (int i = 0; i < in; i++) {
          s += (double) w[o][i] * x[r * in + i];
        }
        y[r * out + o] = (float) s;
      }
    }
    return Dataset.of(x, in, y, out);
  }

  /** Labels = argmax of W x for a random W: linearly separable classes. */
  public static Dataset separable(int n, int in, int classes, long seed) {
    float[] x = features(n, in, seed);
    float[] w = features(classes, in, seed + 1);
    float[] y = new float[n];
    for (int r = 0; r < n; r++) {
      int best = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        double s = 0;
        for (int i = 0; i < in; i++) {
          s += (double) w[c * in + i] * x[r * in + i];
        }
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      y[r] = best;
    }
    return Dataset.of(x, in, y, 1);
  }
}
