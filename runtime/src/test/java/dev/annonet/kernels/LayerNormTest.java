package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Layer normalisation shared with the kernel threads: the same bits on one, two and three
 * threads, and the parameter gradient summed column by column over the samples in order.
 */
class LayerNormTest {

  @AfterEach
  void oneThread() {
    Kernels.setThreads(1);
  }

  /** Forward and backward (with and without the input gradient) for one thread count. */
  private static float[][] run(int threads, int batch, int n) {
    Kernels.setThreads(threads);
    SplittableRandom rnd = new SplittableRandom(batch * 31L + n);
    int gammaOff = 3;
    int betaOff = gammaOff + n;
    float[] p = Naive.random(rnd, betaOff + n, 1);
    float[] in = Naive.random(rnd, batch * n, 2);
    float[] out = new float[batch * n];
    float[] xhat = new float[batch * n];
    float[] invStd = new float[batch];
    LayerNorm.forward(in, p, gammaOff, betaOff, out, xhat, invStd, batch, n, 1e-5f,
        Activation.TANH, 0f);
    float[] dZ = Naive.random(rnd, batch * n, 1);
    float[] g = new float[p.length];
    float[] dIn = new float[batch * n];
    LayerNorm.backward(dZ, xhat, invStd, p, gammaOff, betaOff, g, out, dIn, batch, n,
        Activation.TANH, 0f);
    float[] gAlone = new float[p.length];
    LayerNorm.backward(dZ, xhat, invStd, p, gammaOff, betaOff, gAlone, out, null, batch, n,
        Activation.TANH, 0f);
    // The parameter gradient as first written: column by column, samples in order, in double.
    float[] expected = new float[p.length];
    for (int i = 0; i < n; i++) {
      double dGamma = 0;
      double dBeta = 0;
      for (int b = 0; b < batch; b++) {
        dGamma += (double) dZ[b * n + i] * xhat[b * n + i];
        dBeta += dZ[b * n + i];
      }
      expected[gammaOff + i] = (float) dGamma;
      expected[betaOff + i] = (float) dBeta;
    }
    assertArrayEquals(expected, g, "dGamma and dBeta, " + threads + " threads");
    assertArrayEquals(expected, gAlone, "without the input gradient, " + threads + " threads");
    return new float[][] {out, xhat, invStd, dIn};
  }

  /**
   * The two halves of backward on their own, as a batch run whole by slices uses them: the
   * input gradient alone equals backward's, on any thread count; the parameter gradient of a
   * range of rows equals that of the same rows copied to row 0.
   */
  @Test
  void theInputAndParameterHalvesMatchBackward() {
    int batch = 301;
    int n = 130;
    for (int threads = 1; threads <= 3; threads += 2) {
      Kernels.setThreads(threads);
      SplittableRandom rnd = new SplittableRandom(5);
      float[] p = Naive.random(rnd, 2 * n, 1);
      float[] in = Naive.random(rnd, batch * n, 2);
      float[] out = new float[batch * n];
      float[] xhat = new float[batch * n];
      float[] invStd = new float[batch];
      LayerNorm.forward(in, p, 0, n, out, xhat, invStd, batch, n, 1e-5f, Activation.TANH, 0f);
      float[] dZ = Naive.random(rnd, batch * n, 1);
      float[] dIn = new float[batch * n];
      LayerNorm.backward(dZ, xhat, invStd, p, 0, n, new float[p.length], out, dIn, batch, n,
          Activation.TANH, 0f);
      float[] dInAlone = new float[batch * n];
      LayerNorm.backwardInput(dZ, xhat, invStd, p, 0, out, dInAlone, batch, n,
          Activation.TANH, 0f);
      assertArrayEquals(dIn, dInAlone, "input gradient, " + threads + " threads");

      int from = 100;
      int rows = 67;
      float[] g = new float[p.length];
      LayerNorm.backwardParams(dZ, xhat, from, g, 0, n, rows, n);
      float[] gAlone = new float[p.length];
      LayerNorm.backward(java.util.Arrays.copyOfRange(dZ, from * n, (from + rows) * n),
          java.util.Arrays.copyOfRange(xhat, from * n, (from + rows) * n), invStd, p, 0, n,
          gAlone, null, null, rows, n, Activation.TANH, 0f);
      assertArrayEquals(gAlone, g, "parameter gradient of rows 100-166, " + threads + " threads");
    }
  }

  @Test
  void sameBitsOnOneTwoAndThreeThreads() {
    // 301 x 130 = 39,130 values: shared; ragged ranges of samples and columns.
    for (int[] shape : new int[][] {{301, 130}, {2048, 17}, {5, 7}}) {
      float[][] one = run(1, shape[0], shape[1]);
      for (int threads = 2; threads <= 3; threads++) {
        float[][] many = run(threads, shape[0], shape[1]);
        long expectedShared = (long) shape[0] * shape[1] >= LayerNorm.SHARE_MIN ? 3 : 0;
        assertEquals(expectedShared, Kernels.team().shared(), "calls run on the team");
        String[] what = {"out", "xhat", "invStd", "dIn"};
        for (int i = 0; i < one.length; i++) {
          assertArrayEquals(one[i], many[i], what[i] + ", " + threads + " threads");
        }
      }
    }
  }
}
