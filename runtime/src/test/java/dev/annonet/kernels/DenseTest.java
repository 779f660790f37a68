package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient checks of the Dense kernels on the chain {@code z -> x = prevAct(z) -> out =
 * act(W x + b)} with the scalar {@code L = sum(out * r)} for a random r, on both paths.
 */
class DenseTest {

  private static final float ALPHA = 0.1f;
  /** Pre-activations kept at least this far from ReLU's kink; h moves them by < 0.01. */
  private static final double MARGIN = 0.05;

  @AfterEach
  void restorePath() {
    Kernels.forcePlain(false);
  }

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> s = Stream.builder();
    int[][] sizes = {{1, 1, 1}, {3, 5, 4}, {2, 17, 3}, {5, 3, 33}};
    for (boolean plain : new boolean[] {false, true}) {
      for (int[] sz : sizes) {
        for (Activation act : Naive.fromOutput()) {
          // Pair each activation with a different previous one to cover all derivatives.
          Activation prev = Activation.values()[(act.ordinal() + 2) % 5];
          s.add(Arguments.of(plain, sz[0], sz[1], sz[2], prev, act));
        }
      }
    }
    return s.build();
  }

  @ParameterizedTest(name = "plain={0} batch={1} nIn={2} nOut={3} prev={4} act={5}")
  @MethodSource("cases")
  void gradientsMatchCentralDifferences(boolean plain, int batch, int nIn, int nOut,
      Activation prev, Activation act) {
    Kernels.forcePlain(plain);
    int wOff = 4;
    int bOff = wOff + nOut * nIn + 2;
    int pLen = bOff + nOut + 3;
    float[] z = null;
    float[] p = null;
    for (long seed = 1; ; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed * 7919 + batch * 31 + nIn * 17 + nOut);
      z = Naive.random(rnd, batch * nIn, 2);
      p = Naive.random(rnd, pLen, 1);
      if (offKinks(z, p, wOff, bOff, batch, nIn, nOut, prev)) {
        break;
      }
    }
    float[] r = Naive.random(new SplittableRandom(nOut * 13L + batch), batch * nOut, 1);
    float[] x = new float[batch * nIn];
    float[] out = new float[batch * nOut];
    float[] zz = z;
    float[] pp = p;
    GradientCheck.Scalar loss = () -> {
      System.arraycopy(zz, 0, x, 0, x.length);
      prev.applyInPlace(x, 0, x.length, ALPHA);
      Dense.forward(x, pp, wOff, bOff, out, batch, nIn, nOut, act, ALPHA);
      double sum = 0;
      for (int t = 0; t < out.length; t++) {
        sum += (double) out[t] * r[t];
      }
      return sum;
    };
    loss.value();
    // dL/d(pre-activation of this layer) = r * act'(out).
    float[] dOut = new float[batch * nOut];
    for (int t = 0; t < dOut.length; t++) {
      dOut[t] = r[t] * act.derivativeFromOutput(out[t], ALPHA);
    }
    float[] g = new float[pLen];
    java.util.Arrays.fill(g, Float.NaN); // overwritten, never accumulated
    Dense.backwardParams(dOut, x, g, wOff, bOff, batch, nIn, nOut);
    float[] dZ = new float[batch * nIn];
    Dense.backwardInput(dOut, p, wOff, x, dZ, batch, nIn, nOut, prev, ALPHA);

    GradientCheck.assertGradient("dW", g, wOff, p, wOff, nOut * nIn, loss);
    GradientCheck.assertGradient("db", g, bOff, p, bOff, nOut, loss);
    GradientCheck.assertGradient("dZ", dZ, 0, z, 0, batch * nIn, loss);
  }

  /** Whether every ReLU-family input sits at least MARGIN away from 0. */
  private static boolean offKinks(float[] z, float[] p, int wOff, int bOff, int batch, int nIn,
      int nOut, Activation prev) {
    float[] x = z.clone();
    prev.applyInPlace(x, 0, x.length, ALPHA);
    for (float v : z) {
      if (Math.abs(v) < MARGIN) {
        return false;
      }
    }
    double[] sumAbs = new double[batch * nOut];
    double[] pre = Naive.abt(batch, nOut, nIn, x, 0, p, wOff, p, bOff, sumAbs);
    for (double v : pre) {
      if (Math.abs(v) < MARGIN) {
        return false;
      }
    }
    return true;
  }

  static Stream<Arguments> batches() {
    Stream.Builder<Arguments> s = Stream.builder();
    for (boolean plain : new boolean[] {false, true}) {
      for (int batch : new int[] {1, 2, 3, 4, 5, 64, 130}) {
        s.add(Arguments.of(plain, batch, 33, 17));
        s.add(Arguments.of(plain, batch, 130, 3));
      }
    }
    return s.build();
  }

  @ParameterizedTest(name = "plain={0} batch={1} nIn={2} nOut={3}")
  @MethodSource("batches")
  void matchesNaiveLoopsAndIsDeterministic(boolean plain, int batch, int nIn, int nOut) {
    Kernels.forcePlain(plain);
    SplittableRandom rnd = new SplittableRandom(batch * 101L + nIn);
    int wOff = 1;
    int bOff = 1 + nOut * nIn;
    float[] p = Naive.random(rnd, bOff + nOut, 1);
    float[] x = Naive.random(rnd, batch * nIn, 1);
    x[0] = 0f; // a ReLU output exactly at the kink: derivative taken as 0
    float[] dOut = Naive.random(rnd, batch * nOut, 1);
    float[] out = new float[batch * nOut];
    float[] g = new float[p.length];
    float[] dX = new float[batch * nIn];
    Dense.forward(x, p, wOff, bOff, out, batch, nIn, nOut, Activation.TANH, ALPHA);
    Dense.backwardParams(dOut, x, g, wOff, bOff, batch, nIn, nOut);
    Dense.backwardInput(dOut, p, wOff, x, dX, batch, nIn, nOut, Activation.RELU, ALPHA);

    double[] sumAbs = new double[batch * nOut];
    double[] z = Naive.abt(batch, nOut, nIn, x, 0, p, wOff, p, bOff, sumAbs);
    double[] expected = new double[z.length];
    double[] bound = new double[z.length];
    for (int t = 0; t < z.length; t++) {
      expected[t] = Math.tanh(z[t]);
      bound[t] = Naive.bound(nIn, sumAbs[t], expected[t]);
    }
    GradientCheck.assertWithin("forward", expected, out, 0, bound);

    double[] gAbs = new double[nOut * nIn];
    double[] gw = Naive.atb(nOut, nIn, batch, dOut, 0, x, 0, gAbs);
    bound = new double[gw.length];
    for (int t = 0; t < gw.length; t++) {
      bound[t] = Naive.bound(batch, gAbs[t], gw[t]);
    }
    GradientCheck.assertWithin("dW", gw, g, wOff, bound);
    double[] gb = new double[nOut];
    double[] gbBound = new double[nOut];
    for (int o = 0; o < nOut; o++) {
      double abs = 0;
      for (int b = 0; b < batch; b++) {
        gb[o] += dOut[b * nOut + o];
        abs += Math.abs(dOut[b * nOut + o]);
      }
      gbBound[o] = Naive.bound(batch, abs, gb[o]);
    }
    GradientCheck.assertWithin("db", gb, g, bOff, gbBound);

    double[] xAbs = new double[batch * nIn];
    double[] dx = Naive.ab(batch, nIn, nOut, dOut, 0, p, wOff, xAbs);
    bound = new double[dx.length];
    for (int t = 0; t < dx.length; t++) {
      double d = x[t] > 0 ? 1 : 0;
      dx[t] *= d;
      bound[t] = d * Naive.bound(nOut, xAbs[t], dx[t]);
    }
    GradientCheck.assertWithin("dX", dx, dX, 0, bound);

    // Same inputs, same bits.
    float[] out2 = new float[out.length];
    float[] g2 = new float[g.length];
    float[] dX2 = new float[dX.length];
    Dense.forward(x, p, wOff, bOff, out2, batch, nIn, nOut, Activation.TANH, ALPHA);
    Dense.backwardParams(dOut, x, g2, wOff, bOff, batch, nIn, nOut);
    Dense.backwardInput(dOut, p, wOff, x, dX2, batch, nIn, nOut, Activation.RELU, ALPHA);
    assertArrayEquals(out, out2);
    assertArrayEquals(g, g2);
    assertArrayEquals(dX, dX2);
  }
}
