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
      case GELU:
        // x Phi(x), with erfc of a positive argument on both sides (no cancellation).
        return x >= 0 ? x * (1 - 0.5 * erfc(x / Math.sqrt(2))) : 0.5 * x * erfc(-x / Math.sqrt(2));
      case GELU_TANH:
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
      default:
        throw new AssertionError(act);
    }
  }

  /** erf in double: its Taylor series below 3, else 1 - erfc. */
  static double erf(double x) {
    if (Math.abs(x) >= 3) {
      return Math.signum(x) * (1 - erfc(Math.abs(x)));
    }
    double term = x;
    double sum = x;
    for (int n = 1; Math.abs(term) > 1e-18 * Math.abs(sum); n++) {
      term *= -x * x / n;
      sum += term / (2 * n + 1);
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }

  /** erfc in double: 1 - erf below 3, else its continued fraction (Lentz). */
  static double erfc(double x) {
    if (x < 3) {
      return 1 - erf(x);
    }
    // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))).
    double tiny = 1e-300;
    double f = x;
    double c = x;
    double d = 0;
    for (int n = 1; n < 500; n++) {
      double a = n / 2.0;
      d = x + a * d;
      d = d == 0 ? tiny : 1 / d;
      c = x + a / c;
      c = c == 0 ? tiny : c;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) {
        break;
      }
    }
    return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
  }

  /** The activations whose derivative kernels compute from the output (all but GELU). */
  static java.util.List<Activation> fromOutput() {
    return java.util.Arrays.stream(Activation.values())
        .filter(a -> !a.derivativeNeedsInput())
        .toList();
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
