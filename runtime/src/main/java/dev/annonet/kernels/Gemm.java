package dev.annonet.kernels;

/**
 * Single-precision matrix products with fused epilogues, the kernels {@link Dense} is built on.
 *
 * <p>All matrices are dense, row-major and contiguous (leading dimension = row length),
 * addressed as {@code array[offset + row * cols + col]}. Results are overwritten, never
 * accumulated. For fixed sizes and inputs the result is bit-identical from run to run: the
 * order of summation depends only on the sizes and on which path is in use (see
 * {@link Kernels}).
 */
public final class Gemm {

  /** Epilogues, applied when the last partial sum of an element is written. */
  static final int STORE = 0;
  /** {@code act(sum + bias[col])}; the bias array may be null. */
  static final int BIAS_ACT = 1;
  /** {@code sum * act'(Y[row][col])}. */
  static final int DERIV = 2;

  private Gemm() {}

  /**
   * {@code C = act(A * B^T + bias)}: {@code C[i][j] = act(bias[j] + sum_p A[i][p] * B[j][p])}.
   *
   * <p>Layouts: A is {@code [m][k]} at {@code aOff}, B is {@code [n][k]} at {@code bOff} (a
   * torch.nn.Linear weight), C is {@code [m][n]} at {@code cOff}, bias is {@code [n]} at
   * {@code biasOff} or {@code null} for none.
   */
  public static void multiplyAbt(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, float[] bias, int biasOff, Activation act, float alpha) {
    if (useVector(m, n, k)) {
      VectorGemm.multiply(m, n, k, a, aOff, false, b, bOff, true, c, cOff, BIAS_ACT,
          bias, biasOff, act, alpha);
    } else {
      PlainGemm.abt(m, n, k, a, aOff, b, bOff, c, cOff, bias, biasOff, act, alpha);
    }
  }

  /**
   * {@code C = A^T * B}: {@code C[i][j] = sum_p A[p][i] * B[p][j]}.
   *
   * <p>Layouts: A is {@code [k][m]} at {@code aOff}, B is {@code [k][n]} at {@code bOff}, C is
   * {@code [m][n]} at {@code cOff}.
   */
  public static void multiplyAtb(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff) {
    if (useVector(m, n, k)) {
      VectorGemm.multiply(m, n, k, a, aOff, true, b, bOff, false, c, cOff, STORE,
          null, 0, Activation.IDENTITY, 0f);
    } else {
      PlainGemm.atb(m, n, k, a, aOff, b, bOff, c, cOff);
    }
  }

  /**
   * {@code C = act'(Y) .* (A * B)}: {@code C[i][j] = act'(Y[i][j]) * sum_p A[i][p] * B[p][j]},
   * with {@code act'} computed from the activation's output Y
   * ({@link Activation#derivativeFromOutput}).
   *
   * <p>Layouts: A is {@code [m][k]} at {@code aOff}, B is {@code [k][n]} at {@code bOff}, C and
   * Y are {@code [m][n]} at {@code cOff} and {@code yOff}; Y may be {@code null} for no
   * derivative factor (as with IDENTITY).
   */
  public static void multiplyAb(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, float[] y, int yOff, Activation act, float alpha) {
    if (useVector(m, n, k)) {
      VectorGemm.multiply(m, n, k, a, aOff, false, b, bOff, false, c, cOff,
          y == null ? STORE : DERIV, y, yOff, act, alpha);
    } else {
      PlainGemm.ab(m, n, k, a, aOff, b, bOff, c, cOff, y, yOff, act, alpha);
    }
  }

  /**
   * Whether a product goes to the packed Vector API kernel. VectorGemm is referenced only
   * behind this test, so it (and the incubator module) is never loaded when absent.
   */
  private static boolean useVector(int m, int n, int k) {
    return Kernels.vectorApiAvailable();
  }
}
