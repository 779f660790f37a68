package dev.annonet.kernels;

/**
 * Single-precision matrix products with fused epilogues, the kernels {@link Dense} is built on.
 *
 * <p>All matrices are dense, row-major and contiguous (leading dimension = row length),
 * addressed as {@code array[offset + row * cols + col]}. Results are overwritten, never
 * accumulated. For fixed sizes and inputs the result is bit-identical from run to run: the
 * order of summation depends only on the sizes and on which path is in use (see {@link
 * Kernels}), not on the number of threads, nor on the vector width but for one case: forward
 * products of fewer than 16 columns or a few rows are dot products with 8-lane vectors (AVX2)
 * and packed products with other widths ({@code VectorGemm.DOTS}).
 */
public final class Gemm {

  /** Epilogues, applied when the last partial sum of an element is written. */
  static final int STORE = 0;
  /** {@code act(sum + bias[col])}; the bias array may be null. */
  static final int BIAS_ACT = 1;
  /** {@code sum * act'(Y[row][col])}. */
  static final int DERIV = 2;

  /** Multiply-adds below which the simple loops run. */
  private static final long SIMPLE_BELOW_WORK = 2048;

  /**
   * Number of columns below which a product with more rows than columns is computed
   * transposed; 16 is the narrowest sliver (NR of 256-bit vectors) and half of it at 512 bits.
   */
  private static final int SWAP_BELOW_N = 16;

  /** The most rows of A that {@link #choose} counts: {@code BatchSlices.MIN_ROWS}. */
  private static final int ROWS_THAT_COUNT = BatchSlices.MIN_ROWS;

  /** Columns below which a product stays on one thread (two 32-column units per thread). */
  private static final int PARALLEL_MIN_N = 64;

  /**
   * Multiply-adds below which handing over to another thread costs more than it saves: 2^20
   * take about 10 microseconds on one core, against 0.5 to hand a part to a spinning worker and
   * a few more for the next kernel to read the half of C the other core wrote. LeNet-5's
   * 256-120 layer (64 x 120 x 256, just under 2^21) took 62 -> 41 us forward and 31 -> 22 us
   * for its input gradient on two threads once shared; W2's 2^19 products still lose.
   */
  private static final long PARALLEL_MIN_WORK = 1 << 20;

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
    multiply(choose(m, n, k), m, n, k, a, aOff, false, b, bOff, true, c, cOff, BIAS_ACT, bias,
        biasOff, act, alpha);
  }

  /**
   * {@code C = A^T * B}: {@code C[i][j] = sum_p A[p][i] * B[p][j]}.
   *
   * <p>Layouts: A is {@code [k][m]} at {@code aOff}, B is {@code [k][n]} at {@code bOff}, C is
   * {@code [m][n]} at {@code cOff}.
   */
  public static void multiplyAtb(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff) {
    multiply(choose(m, n, k), m, n, k, a, aOff, true, b, bOff, false, c, cOff, STORE, null, 0,
        Activation.IDENTITY, 0f);
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
    multiply(choose(m, n, k), m, n, k, a, aOff, false, b, bOff, false, c, cOff,
        y == null ? STORE : DERIV, y, yOff, act, alpha);
  }

  /**
   * {@code out[j] = sum_i A[i][j]} (a bias gradient), rows added in order, so both paths give
   * the same bits; many rows are shared with the kernel threads by ranges of columns.
   *
   * <p>Layouts: A is {@code [m][n]} at {@code aOff}, out is {@code [n]} at {@code outOff}.
   */
  public static void sumColumns(int m, int n, float[] a, int aOff, float[] out, int outOff) {
    if (!ColumnSumTask.tryShare(m, n, a, aOff, out, outOff)) {
      sumColumnRange(m, n, a, aOff, out, outOff, 0, n);
    }
  }

  /** {@link #sumColumns} for columns {@code [j0, j1)} only, on the calling thread. */
  static void sumColumnRange(int m, int n, float[] a, int aOff, float[] out, int outOff, int j0,
      int j1) {
    java.util.Arrays.fill(out, outOff + j0, outOff + j1, 0f);
    if (Kernels.vectorApiAvailable()) {
      VectorGemm.addRows(m, n, a, aOff, out, outOff, j0, j1);
      return;
    }
    for (int i = 0; i < m; i++) {
      int row = aOff + i * n;
      for (int j = j0; j < j1; j++) {
        out[outOff + j] += a[row + j];
      }
    }
  }

  /** The implementations a product can run on. */
  enum Impl {
    /** Unblocked loops: no packing, for products too small to repay it. */
    SIMPLE,
    /** Cache-tiled plain Java that C2 auto-vectorizes ({@link PlainGemm#multiply}). */
    TILED,
    /** Packed register-blocked Vector API kernel ({@code VectorGemm}). */
    VECTOR
  }

  /**
   * Picks the implementation by size. GemmBench shows the packed kernels ahead of the simple
   * loops from 32x13x64 on, and all three even (call overhead) at 32x64x1, so only products
   * below that keep the simple loops.
   */
  static Impl choose(int m, int n, int k) {
    // Rows past ROWS_THAT_COUNT do not change the choice, so that a batch and each of its
    // slices (BatchSlices.MIN_ROWS rows or more) run on the same loops, row for row the same
    // bits: BatchSlices on one thread runs the forward pass on the whole batch.
    if ((long) Math.min(m, ROWS_THAT_COUNT) * n * k < SIMPLE_BELOW_WORK || Math.max(m, n) < 4) {
      return Impl.SIMPLE;
    }
    return Kernels.vectorApiAvailable() ? Impl.VECTOR : Impl.TILED;
  }

  /**
   * Runs {@code C = epilogue(op(A) * op(B))} on {@code impl}; package-private so tests can
   * drive each implementation. {@code transA}: A is stored {@code [k][m]}, else {@code [m][k]};
   * {@code transB}: B is stored {@code [n][k]}, else {@code [k][n]}; C is {@code [m][n]}. For
   * BIAS_ACT, e is the bias {@code [n]} (or null); for DERIV, e is Y {@code [m][n]}.
   */
  static void multiply(Impl impl, int m, int n, int k, float[] a, int aOff, boolean transA,
      float[] b, int bOff, boolean transB, float[] c, int cOff, int mode, float[] e, int eOff,
      Activation act, float alpha) {
    if (impl == Impl.SIMPLE) {
      PlainGemm.simple(m, n, k, a, aOff, transA, b, bOff, transB, c, cOff, mode, e, eOff, act,
          alpha);
      return;
    }
    if (n == 1 && !transA) {
      if (impl == Impl.VECTOR && VectorGemm.DOTS) {
        VectorGemm.dots(m, 1, k, a, aOff, b, bOff, c, cOff, mode, e, eOff, act, alpha);
      } else {
        PlainGemm.dots(m, 1, k, a, aOff, b, bOff, c, cOff, mode, e, eOff, act, alpha);
      }
      return;
    }
    // A few outputs of a forward product (a classifier's 10 logits), or a few rows (a forward
    // pass of one sample): dot products along k, which both operands are stored along, instead
    // of transposing one side into packed slivers for tiles that are mostly padding, or all of
    // the weights for a few rows. Rows are independent sums, so sharing them with the kernel
    // threads leaves the bits as they are.
    if (impl == Impl.VECTOR && narrowForward(m, n, k, transA, transB)) {
      if (!DotsTask.tryShare(m, n, k, a, aOff, b, bOff, c, cOff, mode, e, eOff, act, alpha)) {
        VectorGemm.dots(m, n, k, a, aOff, b, bOff, c, cOff, mode, e, eOff, act, alpha);
      }
      return;
    }
    // Depth 1 and a single row of C on their own loops, the bits of the packed kernels without
    // their packing and mostly empty tiles; large ones are still shared with the kernel threads.
    if (impl == Impl.VECTOR && k == 1 && (long) m * n < PARALLEL_MIN_WORK) {
      VectorGemm.outer(m, n, a, aOff, b, bOff, c, cOff, mode, e, eOff, act, alpha);
      return;
    }
    if (impl == Impl.VECTOR && m == 1 && !transB && (long) n * k < PARALLEL_MIN_WORK) {
      VectorGemm.row(n, k, a, aOff, b, bOff, c, cOff, mode, e, eOff, act, alpha);
      return;
    }
    // A short n leaves the NR-wide column slivers mostly padding; computing C^T = op(B)^T
    // op(A)^T instead puts the long m along the vectors, and C is written transposed.
    if (n < m && n < SWAP_BELOW_N) {
      packed(impl, n, m, k, b, bOff, !transB, a, aOff, !transA, c, cOff, true, mode, e, eOff,
          act, alpha);
    } else {
      packed(impl, m, n, k, a, aOff, transA, b, bOff, transB, c, cOff, false, mode, e, eOff,
          act, alpha);
    }
  }

  /**
   * Whether a product on the Vector API path runs as dot products ({@code VectorGemm.dots}): a
   * forward product (A {@code [m][k]}, B {@code [n][k]}) of fewer than 16 columns or of {@link
   * #fewRows}, with 8-lane vectors. Call only where the Vector API is present.
   */
  static boolean narrowForward(int m, int n, int k, boolean transA, boolean transB) {
    return VectorGemm.DOTS && !transA && transB && (n < SWAP_BELOW_N || fewRows(m, k));
  }

  /**
   * Whether a forward product of m rows and depth k is cheaper as dot products than packed:
   * packing a weight costs about what ten multiply-adds with it do, against a fixed cost per
   * dot product (its partial sums added up). Forward products measured on Zen 3, least of 500
   * rounds of 100 calls, old and new JVMs in turn (BENCHMARKS.md): 1 x 1024 -> 2048 887 to 160
   * us, 2 x 32 -> 64 1.29 to 0.94, 6 x 256 -> 512 113 to 52, 7 x 512 -> 512 147 to 115; packed
   * stays ahead at 4 x 32 -> 256 (6.0 against 7.8 us) and from 8 rows on at k = 64 (8 x 64 ->
   * 128 5.8 against 8.3). The choice does not depend on rows past 8, which every batch slice
   * has (BatchSlices.MIN_ROWS).
   */
  private static boolean fewRows(int m, int k) {
    return m < 4 || m < 8 && k >= 64;
  }

  /** Runs a product on a packed implementation, shared with the kernel threads if large. */
  private static void packed(Impl impl, int m, int n, int k, float[] a, int aOff,
      boolean transA, float[] b, int bOff, boolean transB, float[] c, int cOff, boolean transC,
      int mode, float[] e, int eOff, Activation act, float alpha) {
    if (k > 0 && n >= PARALLEL_MIN_N && (long) m * n * k >= PARALLEL_MIN_WORK
        && GemmTask.tryShare(impl, m, n, k, a, aOff, transA, b, bOff, transB, c,
            cOff, transC, mode, e, eOff, act, alpha)) {
      return;
    }
    if (impl == Impl.VECTOR) {
      // VectorGemm is referenced only here and in GemmTask, behind Impl.VECTOR, so it (and
      // the incubator module) is never loaded unless Kernels found the module.
      VectorGemm.multiply(m, n, k, a, aOff, transA, b, bOff, transB, c, cOff, transC, mode, e,
          eOff, act, alpha, 0, m, 0, n);
    } else {
      PlainGemm.multiply(m, n, k, a, aOff, transA, b, bOff, transB, c, cOff, transC, mode, e,
          eOff, act, alpha, 0, m, 0, n);
    }
  }
}
