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
 * Conv2d against central differences on {@code z -> x = prev(z) -> out = act(conv(x))} with
 * {@code L = sum(out * r)}, and against a naive direct convolution computed in double.
 */
class Conv2dTest {

  private static final float ALPHA = 0.1f;
  /** Inputs kept at least this far from ReLU's kink; h moves them by 0.001. */
  private static final double MARGIN = 0.05;

  /** Shapes: batch, inC, h, w, outC, k, stride, pad. */
  private static final int[][] SHAPES = {
    {1, 1, 5, 5, 1, 3, 1, 0},
    {2, 3, 6, 5, 2, 3, 1, 1},
    {3, 2, 7, 6, 4, 3, 2, 1},
    {2, 4, 8, 7, 3, 5, 2, 2},
    {1, 2, 5, 4, 3, 1, 1, 0},
    {2, 3, 5, 6, 2, 1, 2, 0},
    {3, 1, 9, 7, 2, 5, 1, 2},
    {2, 2, 4, 3, 1, 3, 2, 2},
    {1, 2, 4, 5, 2, 1, 1, 2},
    {1, 1, 3, 3, 2, 5, 1, 2},
    {2, 1, 6, 4, 1, 5, 2, 0},
  };

  /** Activations of the conv itself; its ReLU forms are covered by {@link #matchesNaive}. */
  private static final Activation[] SMOOTH = {
    Activation.IDENTITY, Activation.SIGMOID, Activation.TANH};

  static Stream<Arguments> gradientCases() {
    Stream.Builder<Arguments> s = Stream.builder();
    for (int i = 0; i < SHAPES.length; i++) {
      for (int v = 0; v < 2; v++) {
        Activation prev = Activation.values()[(i + 2 * v) % 5];
        Activation act = SMOOTH[(i + v) % 3];
        s.add(Arguments.of(Arrays.toString(SHAPES[i]), SHAPES[i], prev, act));
      }
    }
    return s.build();
  }

  @ParameterizedTest(name = "{0} prev={2} act={3}")
  @MethodSource("gradientCases")
  void gradientsMatchCentralDifferences(String name, int[] shape, Activation prev,
      Activation act) {
    int batch = shape[0];
    int inC = shape[1];
    int h = shape[2];
    int w = shape[3];
    int outC = shape[4];
    int k = shape[5];
    int stride = shape[6];
    int pad = shape[7];
    int oh = Conv2d.outputSize(h, k, stride, pad);
    int ow = Conv2d.outputSize(w, k, stride, pad);
    int wOff = 3;
    int bOff = wOff + outC * inC * k * k + 2;
    int pLen = bOff + outC + 1;
    SplittableRandom rnd = new SplittableRandom(Arrays.hashCode(shape) * 31L + prev.ordinal());
    float[] z = offKink(rnd, batch * inC * h * w);
    float[] p = Naive.random(rnd, pLen, 0.5);
    float[] r = Naive.random(rnd, batch * outC * oh * ow, 1);
    float[] x = new float[z.length];
    float[] out = new float[r.length];
    GradientCheck.Scalar loss = () -> {
      System.arraycopy(z, 0, x, 0, x.length);
      prev.applyInPlace(x, 0, x.length, ALPHA);
      Conv2d.forward(x, p, wOff, bOff, out, batch, inC, h, w, outC, k, stride, pad, act, ALPHA);
      double sum = 0;
      for (int t = 0; t < out.length; t++) {
        sum += (double) out[t] * r[t];
      }
      return sum;
    };
    loss.value();
    float[] dOut = new float[out.length];
    for (int t = 0; t < dOut.length; t++) {
      dOut[t] = r[t] * act.derivativeFromOutput(out[t], ALPHA);
    }
    float[] g = new float[pLen];
    Arrays.fill(g, Float.NaN); // overwritten, never accumulated
    Conv2d.backwardParams(dOut, x, g, wOff, bOff, batch, inC, h, w, outC, k, stride, pad);
    float[] dZ = new float[z.length];
    Arrays.fill(dZ, Float.NaN);
    Conv2d.backwardInput(dOut, p, wOff, x, dZ, batch, inC, h, w, outC, k, stride, pad, prev,
        ALPHA);

    GradientCheck.assertGradient("dW", g, wOff, p, wOff, bOff - 2 - wOff, loss);
    GradientCheck.assertGradient("db", g, bOff, p, bOff, outC, loss);
    GradientCheck.assertGradient("dZ", dZ, 0, z, 0, z.length, loss);
  }

  /** Random values in [-2, 2] at least MARGIN away from 0. */
  static float[] offKink(SplittableRandom rnd, int n) {
    float[] a = new float[n];
    for (int t = 0; t < n; t++) {
      double m = MARGIN + rnd.nextDouble() * (2 - MARGIN);
      a[t] = (float) (rnd.nextBoolean() ? m : -m);
    }
    return a;
  }

  static Stream<Arguments> naiveCases() {
    Stream.Builder<Arguments> s = Stream.builder();
    for (int[] shape : SHAPES) {
      s.add(Arguments.of(Arrays.toString(shape), shape));
    }
    s.add(Arguments.of("larger 3x4", new int[] {3, 4, 12, 10, 5, 3, 1, 1}));
    s.add(Arguments.of("larger 5x5", new int[] {2, 3, 11, 13, 4, 5, 2, 2}));
    s.add(Arguments.of("pointwise", new int[] {3, 4, 7, 9, 4, 1, 1, 0}));
    s.add(Arguments.of("LeNet c1", new int[] {3, 1, 28, 28, 6, 5, 1, 0}));
    s.add(Arguments.of("LeNet c2", new int[] {3, 6, 12, 12, 16, 5, 1, 0}));
    // Parameter gradients summed in 5 and in 12 blocks of images (uneven: 100 = 12 x 8.3).
    s.add(Arguments.of("40 images", new int[] {40, 2, 6, 7, 3, 3, 1, 1}));
    s.add(Arguments.of("100 images", new int[] {100, 1, 5, 6, 5, 3, 1, 0}));
    for (int[] shape : randomShapes(24, 11)) {
      s.add(Arguments.of("random " + Arrays.toString(shape), shape));
    }
    return s.build();
  }

  /**
   * {@code n} random shapes (batch, inC, h, w, outC, k, stride, pad), mostly stride 1 (the
   * Vector API kernels) with odd sizes, channel counts that fill no register block evenly,
   * padding up to k - 1 and a few strides 2 and 3 (im2col).
   */
  static int[][] randomShapes(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[][] shapes = new int[n][];
    for (int i = 0; i < n; i++) {
      int k = 1 + rnd.nextInt(6);
      int pad = rnd.nextInt(k);
      int stride = i % 6 == 5 ? 2 + rnd.nextInt(2) : 1;
      int h = Math.max(1, k - 2 * pad) + rnd.nextInt(14);
      int w = Math.max(1, k - 2 * pad) + rnd.nextInt(30);
      shapes[i] = new int[] {1 + rnd.nextInt(5), 1 + rnd.nextInt(7), h, w, 1 + rnd.nextInt(19),
          k, stride, pad};
    }
    return shapes;
  }

  static Stream<Arguments> threadCases() {
    Stream.Builder<Arguments> s = Stream.builder();
    s.add(Arguments.of("LeNet c1", new int[] {64, 1, 28, 28, 6, 5, 1, 0}));
    s.add(Arguments.of("LeNet c2", new int[] {64, 6, 12, 12, 16, 5, 1, 0}));
    // Partial sums shared by channel groups of 4, the last group short.
    s.add(Arguments.of("LeNet c2, 18 channels", new int[] {64, 6, 12, 12, 18, 5, 1, 0}));
    s.add(Arguments.of("odd batch", new int[] {7, 3, 13, 17, 5, 3, 1, 1}));
    s.add(Arguments.of("100 images, 12 blocks", new int[] {100, 2, 9, 11, 7, 3, 1, 1}));
    for (int[] shape : randomShapes(8, 12)) {
      shape[0] = 2 + shape[0] * 3;
      s.add(Arguments.of("random " + Arrays.toString(shape), shape));
    }
    return s.build();
  }

  /**
   * All three kernels give the same bits on one, two and three kernel threads (three threads
   * claim LeNet's 8 gradient blocks unevenly).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("threadCases")
  void sameBitsOnOneTwoAndThreeThreads(String name, int[] shape) {
    int batch = shape[0];
    int inC = shape[1];
    int h = shape[2];
    int w = shape[3];
    int outC = shape[4];
    int k = shape[5];
    int stride = shape[6];
    int pad = shape[7];
    int oh = Conv2d.outputSize(h, k, stride, pad);
    int ow = Conv2d.outputSize(w, k, stride, pad);
    int bOff = outC * inC * k * k;
    SplittableRandom rnd = new SplittableRandom(Arrays.hashCode(shape));
    float[] p = Naive.random(rnd, bOff + outC, 1);
    float[] x = Naive.random(rnd, batch * inC * h * w, 1);
    float[] dOut = Naive.random(rnd, batch * outC * oh * ow, 1);
    float[][] out = new float[3][dOut.length];
    float[][] g = new float[3][p.length];
    float[][] dX = new float[3][x.length];
    try {
      for (int t = 0; t < 3; t++) {
        Kernels.setThreads(t + 1);
        // Large enough products to be shared: repeat so the workers really take part.
        for (int rep = 0; rep < 3; rep++) {
          Conv2d.forward(x, p, 0, bOff, out[t], batch, inC, h, w, outC, k, stride, pad,
              Activation.RELU, 0f);
          Conv2d.backwardParams(dOut, x, g[t], 0, bOff, batch, inC, h, w, outC, k, stride, pad);
          Conv2d.backwardInput(dOut, p, 0, x, dX[t], batch, inC, h, w, outC, k, stride, pad,
              Activation.TANH, 0f);
        }
      }
    } finally {
      Kernels.setThreads(1);
    }
    for (int t = 1; t < 3; t++) {
      assertArrayEquals(out[0], out[t], "forward, " + (t + 1) + " threads");
      assertArrayEquals(g[0], g[t], "dW and db, " + (t + 1) + " threads");
      assertArrayEquals(dX[0], dX[t], "dX, " + (t + 1) + " threads");
    }
  }

  /**
   * The parameter gradient over a range of images read in place (a sliced batch run whole)
   * has the bits of those images copied to a batch of their own: same blocks, same sums. Both
   * paths (stride 2 takes im2col), on one and three threads.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("threadCases")
  void aRangeOfImagesGivesTheBitsOfThoseImagesAlone(String name, int[] shape) {
    int batch = shape[0];
    int inC = shape[1];
    int h = shape[2];
    int w = shape[3];
    int outC = shape[4];
    int k = shape[5];
    int stride = shape[6];
    int pad = shape[7];
    int imageLen = inC * h * w;
    int outLen = outC * Conv2d.outputSize(h, k, stride, pad)
        * Conv2d.outputSize(w, k, stride, pad);
    int bOff = outC * inC * k * k;
    int before = 3;
    int after = 2;
    int all = before + batch + after;
    SplittableRandom rnd = new SplittableRandom(Arrays.hashCode(shape) + 1);
    float[] x = Naive.random(rnd, all * imageLen, 1);
    float[] dOut = Naive.random(rnd, all * outLen, 1);
    float[] xAlone = Arrays.copyOfRange(x, before * imageLen, (before + batch) * imageLen);
    float[] dAlone = Arrays.copyOfRange(dOut, before * outLen, (before + batch) * outLen);
    try {
      for (boolean plain : new boolean[] {false, true}) {
        Kernels.forcePlain(plain);
        for (int threads : new int[] {1, 3}) {
          Kernels.setThreads(threads);
          float[] expected = new float[bOff + outC];
          float[] actual = new float[bOff + outC];
          Conv2d.backwardParams(dAlone, xAlone, expected, 0, bOff, batch, inC, h, w, outC, k,
              stride, pad);
          Conv2d.backwardParams(dOut, x, before, actual, 0, bOff, batch, inC, h, w, outC, k,
              stride, pad);
          assertArrayEquals(expected, actual,
              (plain ? "plain path, " : "") + threads + " thread(s)");
        }
      }
    } finally {
      Kernels.forcePlain(false);
      Kernels.setThreads(1);
    }
  }

  @Test
  void parameterGradientBlocksAreARuleOfTheBatchAlone() {
    assertEquals(1, Conv2d.gradientBlocks(1));
    assertEquals(2, Conv2d.gradientBlocks(2));
    assertEquals(2, Conv2d.gradientBlocks(23));
    assertEquals(3, Conv2d.gradientBlocks(24));
    assertEquals(8, Conv2d.gradientBlocks(64));
    assertEquals(12, Conv2d.gradientBlocks(100));
    assertEquals(16, Conv2d.gradientBlocks(128));
    assertEquals(16, Conv2d.gradientBlocks(10_000));
  }

  @AfterEach
  void restorePath() {
    Kernels.forcePlain(false);
    Kernels.setThreads(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("naiveCases")
  void matchesNaive(String name, int[] shape) {
    matchesNaive(shape);
  }

  /** The plain path (im2col and the tiled products) on the same shapes. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("naiveCases")
  void plainPathMatchesNaive(String name, int[] shape) {
    Kernels.forcePlain(true);
    matchesNaive(shape);
  }

  private void matchesNaive(int[] shape) {
    int batch = shape[0];
    int inC = shape[1];
    int h = shape[2];
    int w = shape[3];
    int outC = shape[4];
    int k = shape[5];
    int stride = shape[6];
    int pad = shape[7];
    int oh = Conv2d.outputSize(h, k, stride, pad);
    int ow = Conv2d.outputSize(w, k, stride, pad);
    int kk = inC * k * k;
    int wOff = 2;
    int bOff = wOff + outC * kk;
    SplittableRandom rnd = new SplittableRandom(Arrays.hashCode(shape));
    float[] p = Naive.random(rnd, bOff + outC + 1, 1);
    float[] x = Naive.random(rnd, batch * inC * h * w, 1);
    for (int t = 0; t < x.length; t += 3) {
      x[t] = 0f; // ReLU outputs at the kink: derivative taken as 0
    }
    float[] dOut = Naive.random(rnd, batch * outC * oh * ow, 1);

    for (Activation act : new Activation[] {Activation.RELU, Activation.TANH,
        Activation.LEAKY_RELU}) {
      float[] out = new float[dOut.length];
      Conv2d.forward(x, p, wOff, bOff, out, batch, inC, h, w, outC, k, stride, pad, act, ALPHA);
      double[] sumAbs = new double[out.length];
      double[] pre = naiveForward(x, p, wOff, bOff, batch, inC, h, w, outC, k, stride, pad,
          sumAbs);
      double[] expected = new double[pre.length];
      double[] bound = new double[pre.length];
      for (int t = 0; t < pre.length; t++) {
        expected[t] = Naive.act(act, pre[t], ALPHA);
        bound[t] = Naive.bound(kk + 1, sumAbs[t], expected[t]);
      }
      GradientCheck.assertWithin("forward " + act, expected, out, 0, bound);
    }

    float[] g = new float[p.length];
    Conv2d.backwardParams(dOut, x, g, wOff, bOff, batch, inC, h, w, outC, k, stride, pad);
    double[] gAbs = new double[g.length];
    double[] gw = naiveParams(dOut, x, wOff, bOff, g.length, batch, inC, h, w, outC, k, stride,
        pad, gAbs);
    int terms = batch * oh * ow + batch;
    double[] bound = new double[bOff + outC - wOff];
    double[] expected = Arrays.copyOfRange(gw, wOff, bOff + outC);
    for (int t = 0; t < bound.length; t++) {
      bound[t] = Naive.bound(terms, gAbs[wOff + t], expected[t]);
    }
    GradientCheck.assertWithin("dW and db", expected, g, wOff, bound);

    float[] dX = new float[x.length];
    Conv2d.backwardInput(dOut, p, wOff, x, dX, batch, inC, h, w, outC, k, stride, pad,
        Activation.RELU, ALPHA);
    double[] xAbs = new double[x.length];
    double[] dx = naiveInput(dOut, p, wOff, batch, inC, h, w, outC, k, stride, pad, xAbs);
    bound = new double[dx.length];
    for (int t = 0; t < dx.length; t++) {
      double d = x[t] > 0 ? 1 : 0;
      dx[t] *= d;
      bound[t] = d * Naive.bound(outC * k * k + k * k, xAbs[t], dx[t]);
    }
    GradientCheck.assertWithin("dX", dx, dX, 0, bound);

    // Same inputs, same bits.
    float[] out1 = new float[dOut.length];
    float[] out2 = new float[dOut.length];
    Conv2d.forward(x, p, wOff, bOff, out1, batch, inC, h, w, outC, k, stride, pad,
        Activation.TANH, ALPHA);
    Conv2d.forward(x, p, wOff, bOff, out2, batch, inC, h, w, outC, k, stride, pad,
        Activation.TANH, ALPHA);
    assertArrayEquals(out1, out2);
    float[] g2 = new float[p.length];
    Conv2d.backwardParams(dOut, x, g2, wOff, bOff, batch, inC, h, w, outC, k, stride, pad);
    assertArrayEquals(g, g2);
    float[] dX2 = new float[x.length];
    Conv2d.backwardInput(dOut, p, wOff, x, dX2, batch, inC, h, w, outC, k, stride, pad,
        Activation.RELU, ALPHA);
    assertArrayEquals(dX, dX2);
  }

  @Test
  void outputSizeFollowsTorch() {
    assertEquals(24, Conv2d.outputSize(28, 5, 1, 0));
    assertEquals(14, Conv2d.outputSize(28, 3, 2, 1));
    assertEquals(2, Conv2d.outputSize(6, 3, 2, 0));
    assertEquals(3, Conv2d.outputSize(7, 3, 2, 0));
    assertEquals(9, Conv2d.outputSize(5, 1, 1, 2));
  }

  /** Input pixel {@code in[b][c][iy][ix]} or 0 outside the image. */
  private static double pixel(float[] in, int b, int c, int iy, int ix, int inC, int h, int w) {
    if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
      return 0;
    }
    return in[((b * inC + c) * h + iy) * w + ix];
  }

  /** Pre-activation of the direct convolution in double; fills sumAbs with sum |terms|. */
  static double[] naiveForward(float[] in, float[] p, int wOff, int bOff, int batch, int inC,
      int h, int w, int outC, int k, int stride, int pad, double[] sumAbs) {
    int oh = Conv2d.outputSize(h, k, stride, pad);
    int ow = Conv2d.outputSize(w, k, stride, pad);
    double[] out = new double[batch * outC * oh * ow];
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < outC; o++) {
        for (int y = 0; y < oh; y++) {
          for (int x = 0; x < ow; x++) {
            double s = p[bOff + o];
            double abs = Math.abs(s);
            for (int c = 0; c < inC; c++) {
              for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                  double t = pixel(in, b, c, y * stride + i - pad, x * stride + j - pad, inC, h,
                      w) * p[wOff + ((o * inC + c) * k + i) * k + j];
                  s += t;
                  abs += Math.abs(t);
                }
              }
            }
            int idx = ((b * outC + o) * oh + y) * ow + x;
            out[idx] = s;
            sumAbs[idx] = abs;
          }
        }
      }
    }
    return out;
  }

  /** dW at wOff and db at bOff (in an array of pLen) in double; fills sumAbs likewise. */
  static double[] naiveParams(float[] dOut, float[] in, int wOff, int bOff, int pLen, int batch,
      int inC, int h, int w, int outC, int k, int stride, int pad, double[] sumAbs) {
    int oh = Conv2d.outputSize(h, k, stride, pad);
    int ow = Conv2d.outputSize(w, k, stride, pad);
    double[] g = new double[pLen];
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < outC; o++) {
        for (int y = 0; y < oh; y++) {
          for (int x = 0; x < ow; x++) {
            double d = dOut[((b * outC + o) * oh + y) * ow + x];
            g[bOff + o] += d;
            sumAbs[bOff + o] += Math.abs(d);
            for (int c = 0; c < inC; c++) {
              for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                  int wi = wOff + ((o * inC + c) * k + i) * k + j;
                  double t = d * pixel(in, b, c, y * stride + i - pad, x * stride + j - pad,
                      inC, h, w);
                  g[wi] += t;
                  sumAbs[wi] += Math.abs(t);
                }
              }
            }
          }
        }
      }
    }
    return g;
  }

  /** Transposed convolution of dOut with W in double (no activation factor); fills sumAbs. */
  static double[] naiveInput(float[] dOut, float[] p, int wOff, int batch, int inC, int h, int w,
      int outC, int k, int stride, int pad, double[] sumAbs) {
    int oh = Conv2d.outputSize(h, k, stride, pad);
    int ow = Conv2d.outputSize(w, k, stride, pad);
    double[] dIn = new double[batch * inC * h * w];
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < outC; o++) {
        for (int y = 0; y < oh; y++) {
          for (int x = 0; x < ow; x++) {
            double d = dOut[((b * outC + o) * oh + y) * ow + x];
            for (int c = 0; c < inC; c++) {
              for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                  int iy = y * stride + i - pad;
                  int ix = x * stride + j - pad;
                  if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                    continue;
                  }
                  int idx = ((b * inC + c) * h + iy) * w + ix;
                  double t = d * p[wOff + ((o * inC + c) * k + i) * k + j];
                  dIn[idx] += t;
                  sumAbs[idx] += Math.abs(t);
                }
              }
            }
          }
        }
      }
    }
    return dIn;
  }
}
