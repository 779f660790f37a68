package dev.annonet.kernels;

import java.util.SplittableRandom;

/** Naive triple-loop references computed in double, and random test data. */
final class Naive {

  private Naive() {}

  static float[] random(SplittableRandom rnd, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
    }
    return a;
  }

  static double act(Activation act, double x, double alpha) {
    switch (act) {
      case IDENTITY:
        return x;
      case RELU:
        return Double.isNaN(x) ? x : x > 0 ? x : 0;
      case LEAKY_RELU:
        return x > 0 ? x : alpha * x;
      case SIGMOID:
        return 1 / (1 + Math.exp(-x));
      case TANH:
        return Math.tanh(x);
      default:
        throw new AssertionError(act);
    }
  }

  static double derivFromOutput(Activation act, double y, double alpha) {
    switch (act) {
      case IDENTITY:
        return 1;
      case RELU:
        return y > 0 ? 1 : 0;
      case LEAKY_RELU:
        return y > 0 ? 1 : alpha;
      case SIGMOID:
        return y * (1 - y);
      case TANH:
        return 1 - y * y;
      default:
        throw new AssertionError(act);
    }
  }

  /** Pre-activation {@code z[i][j] = bias[j] + sum_p A[i][p] B[j][p]}; also fills sumAbs. */
  static double[] abt(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] bias, int biasOff, double[] sumAbs) {
    double[] z = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = bias == null ? 0 : bias[biasOff + j];
        double abs = Math.abs(s);
        for (int p = 0; p < k; p++) {
          double t = (double) a[aOff + i * k + p] * b[bOff + j * k + p];
          s += t;
          abs += Math.abs(t);
        }
        z[i * n + j] = s;
        sumAbs[i * n + j] = abs;
      }
    }
    return z;
  }

  /** {@code C[i][j] = sum_p A[p][i] B[p][j]}; also fills sumAbs. */
  static double[] atb(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      double[] sumAbs) {
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        double abs = 0;
        for (int p = 0; p < k; p++) {
          double t = (double) a[aOff + p * m + i] * b[bOff + p * n + j];
          s += t;
          abs += Math.abs(t);
        }
        c[i * n + j] = s;
        sumAbs[i * n + j] = abs;
      }
    }
    return c;
  }

  /** {@code C[i][j] = sum_p A[i][p] B[p][j]}; also fills sumAbs. */
  static double[] ab(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      double[] sumAbs) {
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        double abs = 0;
        for (int p = 0; p < k; p++) {
          double t = (double) a[aOff + i * k + p] * b[bOff + p * n + j];
          s += t;
          abs += Math.abs(t);
        }
        c[i * n + j] = s;
        sumAbs[i * n + j] = abs;
      }
    }
    return c;
  }

  /**
   * Rigorous bound on the float error of a k-term dot product plus a few epilogue roundings:
   * gamma_{k+2} * sum|terms| (Higham, Accuracy and Stability, 3.1) + 4u |result|.
   */
  static double bound(int k, double sumAbs, double result) {
    double g = (k + 2) * GradientCheck.U / (1 - (k + 2) * GradientCheck.U);
    return g * sumAbs + 4 * GradientCheck.U * Math.abs(result) + Float.MIN_NORMAL;
  }
}
