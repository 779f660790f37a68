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
    PlainGemm.abt(m, n, k, a, aOff, b, bOff, c, cOff, bias, biasOff, act, alpha);
  }

  /**
   * {@code C = A^T * B}: {@code C[i][j] = sum_p A[p][i] * B[p][j]}.
   *
   * <p>Layouts: A is {@code [k][m]} at {@code aOff}, B is {@code [k][n]} at {@code bOff}, C is
   * {@code [m][n]} at {@code cOff}.
   */
  public static void multiplyAtb(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff) {
    PlainGemm.atb(m, n, k, a, aOff, b, bOff, c, cOff);
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
    PlainGemm.ab(m, n, k, a, aOff, b, bOff, c, cOff, y, yOff, act, alpha);
  }
}
