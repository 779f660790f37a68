package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pooling against central differences on {@code z -> x = prev(z) -> out = pool(x)} with
 * {@code L = sum(out * r)}, and against naive windows computed in double.
 */
class PoolTest {

  private static final float ALPHA = 0.1f;

  /** Shapes: batch, c, h, w, size, stride (overlapping, disjoint and gapped windows). */
  private static final int[][] SHAPES = {
    {1, 1, 4, 4, 2, 2},
    {2, 3, 6, 5, 2, 2},
    {3, 2, 7, 6, 3, 2},
    {2, 4, 5, 7, 2, 1},
    {1, 2, 9, 8, 3, 3},
    {2, 1, 8, 5, 2, 3},
    {1, 3, 5, 5, 5, 1},
  };

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> s = Stream.builder();
    for (int i = 0; i < SHAPES.length; i++) {
      for (int v = 0; v < 2; v++) {
        Activation prev = Activation.values()[(i + 3 * v) % 5];
        s.add(Arguments.of(Arrays.toString(SHAPES[i]), SHAPES[i], prev));
      }
    }
    return s.build();
  }

  /**
   * A shuffled grid of distinct values spaced 4/n apart in (-2, 2): no max-pool ties even after
   * a 0.001 step and no value within 2/n of ReLU's kink (n stays below 1000 here).
   */
  static float[] distinct(SplittableRandom rnd, int n) {
    float[] a = new float[n];
    for (int t = 0; t < n; t++) {
      a[t] = (float) (-2 + 4 * (t + 0.5) / n);
    }
    for (int t = n - 1; t > 0; t--) {
      int u = rnd.nextInt(t + 1);
      float tmp = a[t];
      a[t] = a[u];
      a[u] = tmp;
    }
    return a;
  }

  @ParameterizedTest(name = "max {0} prev={2}")
  @MethodSource("cases")
  void maxGradientMatchesCentralDifferences(String name, int[] s, Activation prev) {
    int batch = s[0];
    int c = s[1];
    int h = s[2];
    int w = s[3];
    int size = s[4];
    int stride = s[5];
    int outLen = batch * c * ((h - size) / stride + 1) * ((w - size) / stride + 1);
    SplittableRandom rnd = new SplittableRandom(Arrays.hashCode(s) + prev.ordinal());
    float[] z = distinct(rnd, batch * c * h * w);
    float[] r = Naive.random(rnd, outLen, 1);
    float[] x = new float[z.length];
    float[] out = new float[outLen];
    int[] argmax = new int[outLen];
    GradientCheck.Scalar loss = () -> {
      System.arraycopy(z, 0, x, 0, x.length);
      prev.applyInPlace(x, 0, x.length, ALPHA);
      Pool.maxForward(x, out, argmax, batch, c, h, w, size, stride);
      double sum = 0;
      for (int t = 0; t < outLen; t++) {
        sum += (double) out[t] * r[t];
      }
      return sum;
    };
    loss.value();
    float[] dZ = new float[z.length];
    Arrays.fill(dZ, Float.NaN);
    Pool.maxBackward(r, argmax, x, dZ, batch, c, h, w, size, stride, prev, ALPHA);
    GradientCheck.assertGradient("max dZ", dZ, 0, z, 0, z.length, loss);
  }

  @ParameterizedTest(name = "avg {0} prev={2}")
  @MethodSource("cases")
  void avgGradientMatchesCentralDifferences(String name, int[] s, Activation prev) {
    int batch = s[0];
    int c = s[1];
    int h = s[2];
    int w = s[3];
    int size = s[4];
    int stride = s[5];
    int outLen = batch * c * ((h - size) / stride + 1) * ((w - size) / stride + 1);
    SplittableRandom rnd = new SplittableRandom(Arrays.hashCode(s) * 7L + prev.ordinal());
    float[] z = Conv2dTest.offKink(rnd, batch * c * h * w);
    float[] r = Naive.random(rnd, outLen, 1);
    float[] x = new float[z.length];
    float[] out = new float[outLen];
    GradientCheck.Scalar loss = () -> {
      System.arraycopy(z, 0, x, 0, x.length);
      prev.applyInPlace(x, 0, x.length, ALPHA);
      Pool.avgForward(x, out, batch, c, h, w, size, stride);
      double sum = 0;
      for (int t = 0; t < outLen; t++) {
        sum += (double) out[t] * r[t];
      }
      return sum;
    };
    loss.value();
    float[] dZ = new float[z.length];
    Arrays.fill(dZ, Float.NaN);
    Pool.avgBackward(r, x, dZ, batch, c, h, w, size, stride, prev, ALPHA);
    GradientCheck.assertGradient("avg dZ", dZ, 0, z, 0, z.length, loss);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesNaiveWindows(String name, int[] s, Activation unused) {
    int batch = s[0];
    int c = s[1];
    int h = s[2];
    int w = s[3];
    int size = s[4];
    int stride = s[5];
    int oh = (h - size) / stride + 1;
    int ow = (w - size) / stride + 1;
    int outLen = batch * c * oh * ow;
    SplittableRandom rnd = new SplittableRandom(Arrays.hashCode(s));
    float[] x = Naive.random(rnd, batch * c * h * w, 1);
    float[] r = Naive.random(rnd, outLen, 1);
    float[] max = new float[outLen];
    int[] argmax = new int[outLen];
    float[] avg = new float[outLen];
    Pool.maxForward(x, max, argmax, batch, c, h, w, size, stride);
    Pool.avgForward(x, avg, batch, c, h, w, size, stride);
    double[] expMax = new double[outLen];
    double[] expAvg = new double[outLen];
    double[] avgBound = new double[outLen];
    double[] dMax = new double[x.length];
    double[] dAvg = new double[x.length];
    int t = 0;
    for (int plane = 0; plane < batch * c; plane++) {
      for (int y = 0; y < oh; y++) {
        for (int xx = 0; xx < ow; xx++) {
          double best = Double.NEGATIVE_INFINITY;
          int bestIdx = -1;
          double sum = 0;
          double abs = 0;
          for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
              int idx = (plane * h + y * stride + i) * w + xx * stride + j;
              sum += x[idx];
              abs += Math.abs(x[idx]);
              if (x[idx] > best) {
                best = x[idx];
                bestIdx = idx;
              }
            }
          }
          expMax[t] = best;
          expAvg[t] = sum / (size * size);
          avgBound[t] = Naive.bound(size * size, abs, expAvg[t]);
          assertEquals(bestIdx, argmax[t], "argmax at " + t);
          dMax[bestIdx] += r[t];
          for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
              dAvg[(plane * h + y * stride + i) * w + xx * stride + j] += r[t] / (size * size);
            }
          }
          t++;
        }
      }
    }
    GradientCheck.assertWithin("max", expMax, max, 0, new double[outLen]);
    GradientCheck.assertWithin("avg", expAvg, avg, 0, avgBound);
    float[] dx = new float[x.length];
    Pool.maxBackward(r, argmax, x, dx, batch, c, h, w, size, stride, Activation.IDENTITY, 0f);
    int overlap = ((size + stride - 1) / stride) * ((size + stride - 1) / stride);
    double[] bound = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      bound[i] = Naive.bound(overlap, overlap, dMax[i]);
    }
    GradientCheck.assertWithin("max backward", dMax, dx, 0, bound);
    Pool.avgBackward(r, x, dx, batch, c, h, w, size, stride, Activation.IDENTITY, 0f);
    GradientCheck.assertWithin("avg backward", dAvg, dx, 0, bound);
  }

  @Test
  void maxTiesTakeTheFirstAndNaNPropagates() {
    float[] x = {1, 3, 3, 0, 2, Float.NaN, 1, 1};
    float[] out = new float[2];
    int[] argmax = new int[2];
    Pool.maxForward(x, out, argmax, 2, 1, 2, 2, 2, 2);
    assertArrayEquals(new int[] {1, 5}, argmax);
    assertEquals(3f, out[0]);
    assertEquals(Float.NaN, out[1]);
  }

  @AfterEach
  void restorePath() {
    Kernels.forcePlain(false);
    Kernels.setThreads(1);
  }

  /**
   * 2x2 max pooling on shapes the Vector API kernel takes (whole vectors of outputs per plane)
   * and on one it leaves to the scalar loop, with many ties, NaNs and infinities: both paths
   * pick exactly the element a plain window scan picks (first maximum in row-major order, a NaN
   * before anything), on one and two kernel threads, and the backward pass routes dOut there.
   */
  @Test
  void max2x2WithTiesAndNaNMatchesWindowScanOnBothPaths() {
    int[][] shapes = {{64, 6, 24, 24, 2}, {64, 16, 8, 8, 2}, {3, 2, 5, 5, 1}, {2, 3, 9, 9, 2},
        {2, 3, 6, 5, 2}};
    SplittableRandom rnd = new SplittableRandom(5);
    for (int[] sh : shapes) {
      int batch = sh[0];
      int c = sh[1];
      int h = sh[2];
      int w = sh[3];
      int stride = sh[4];
      int oh = (h - 2) / stride + 1;
      int ow = (w - 2) / stride + 1;
      float[] x = new float[batch * c * h * w];
      for (int t = 0; t < x.length; t++) {
        int kind = rnd.nextInt(100);
        // Few distinct levels, so ties are common; NaNs rare enough to leave most vector
        // blocks free of them; infinities of both signs.
        x[t] = kind < 1 ? Float.NaN : kind < 3 ? Float.POSITIVE_INFINITY
            : kind < 4 ? Float.NEGATIVE_INFINITY : (rnd.nextInt(5) - 2) * 0.5f;
      }
      float[] expected = new float[batch * c * oh * ow];
      int[] expectedArg = new int[expected.length];
      int t = 0;
      for (int plane = 0; plane < batch * c; plane++) {
        for (int y = 0; y < oh; y++) {
          for (int xx = 0; xx < ow; xx++) {
            int best = -1;
            for (int i = 0; i < 2; i++) {
              for (int j = 0; j < 2; j++) {
                int at = plane * h * w + (y * stride + i) * w + xx * stride + j;
                boolean nan = Float.isNaN(x[at]);
                if (best < 0 || (nan && !Float.isNaN(x[best]))
                    || (!Float.isNaN(x[best]) && x[at] > x[best])) {
                  best = at;
                }
              }
            }
            expected[t] = x[best];
            expectedArg[t++] = best;
          }
        }
      }
      for (int run = 0; run < 4; run++) {
        boolean plain = run % 2 == 1;
        int threads = 1 + run / 2;
        Kernels.forcePlain(plain);
        Kernels.setThreads(threads);
        float[] out = new float[expected.length];
        int[] argmax = new int[expected.length];
        for (int rep = 0; rep < 3; rep++) {
          Pool.maxForward(x, out, argmax, batch, c, h, w, 2, stride);
        }
        String what = Arrays.toString(sh) + " plain=" + plain + " threads=" + threads;
        assertArrayEquals(expectedArg, argmax, what);
        assertArrayEquals(expected, out, what);
        // Backward: the chosen elements get dOut (ReLU: where positive), the rest 0.
        float[] dOut = new float[expected.length];
        for (int u = 0; u < dOut.length; u++) {
          dOut[u] = u + 1;
        }
        float[] dIn = new float[x.length];
        Arrays.fill(dIn, 7f);
        Pool.maxBackward(dOut, argmax, x, dIn, batch, c, h, w, 2, stride, Activation.RELU, 0f);
        float[] dExpected = new float[x.length];
        for (int u = 0; u < dOut.length; u++) {
          if (x[expectedArg[u]] > 0f) {
            dExpected[expectedArg[u]] += dOut[u];
          }
        }
        assertArrayEquals(dExpected, dIn, what + " backward");
      }
    }
  }
}
