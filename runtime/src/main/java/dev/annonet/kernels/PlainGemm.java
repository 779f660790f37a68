package dev.annonet.kernels;

/**
 * Plain-Java matrix products, the fallback when the Vector API is absent; see {@link Gemm}.
 *
 * <p>Two forms. The simple loops ({@link #abt}, {@link #atb}, {@link #ab}) serve tiny
 * products, where any packing would cost more than it saves. {@link #multiply} is the tiled
 * form: C2 auto-vectorizes {@code acc[j] += a * b[j]} only when both arrays share the index
 * {@code j} (with different offsets it must assume they may alias), so a {@code KC x NC} slice
 * of B is copied into separate row arrays and each row of C is accumulated in its own array,
 * four k steps per pass to halve the loads and stores of the accumulator row.
 */
final class PlainGemm {

  private static final int KC = 128;
  private static final int NC = 256;

  private PlainGemm() {}

  /** Per-thread buffers: packed rows of B and accumulator rows of C, grown on demand. */
  private static final class Workspace {
    final float[][] bRows = new float[KC][NC];
    float[][] acc = new float[0][];
  }

  private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

  /**
   * {@code C = epilogue(op(A) * op(B))}, arguments as in {@code VectorGemm.multiply}:
   * {@code transA}: A is stored {@code [k][m]}, else {@code [m][k]}; {@code transB}: B is stored
   * {@code [n][k]}, else {@code [k][n]}; C is {@code [m][n]}. Only rows {@code [i0, i1)} and
   * columns {@code [j0, j1)} of C are computed, so threads can share a product.
   */
  static void multiply(int m, int n, int k, float[] a, int aOff, boolean transA, float[] b,
      int bOff, boolean transB, float[] c, int cOff, boolean transC, int mode, float[] e,
      int eOff, Activation act, float alpha, int i0, int i1, int j0, int j1) {
    Workspace ws = WORKSPACE.get();
    if (ws.acc.length < m) {
      float[][] acc = new float[m][];
      for (int i = 0; i < m; i++) {
        acc[i] = i < ws.acc.length ? ws.acc[i] : new float[NC];
      }
      ws.acc = acc;
    }
    float[][] bRows = ws.bRows;
    for (int jc = j0; jc < j1; jc += NC) {
      int nc = Math.min(NC, j1 - jc);
      for (int i = i0; i < i1; i++) {
        java.util.Arrays.fill(ws.acc[i], 0, nc, 0f);
      }
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        for (int p = 0; p < kc; p++) {
          float[] row = bRows[p];
          if (transB) {
            for (int j = 0; j < nc; j++) {
              row[j] = b[bOff + (jc + j) * k + pc + p];
            }
          } else {
            System.arraycopy(b, bOff + (pc + p) * n + jc, row, 0, nc);
          }
        }
        for (int i = i0; i < i1; i++) {
          float[] acc = ws.acc[i];
          // Index of A(i, pc + p) is ai + p * as.
          int ai = transA ? aOff + pc * m + i : aOff + i * k + pc;
          int as = transA ? m : 1;
          int p = 0;
          for (; p + 3 < kc; p += 4) {
            float a0 = a[ai + p * as];
            float a1 = a[ai + (p + 1) * as];
            float a2 = a[ai + (p + 2) * as];
            float a3 = a[ai + (p + 3) * as];
            float[] b0 = bRows[p];
            float[] b1 = bRows[p + 1];
            float[] b2 = bRows[p + 2];
            float[] b3 = bRows[p + 3];
            for (int j = 0; j < nc; j++) {
              acc[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
            }
          }
          for (; p < kc; p++) {
            float a0 = a[ai + p * as];
            float[] b0 = bRows[p];
            for (int j = 0; j < nc; j++) {
              acc[j] += a0 * b0[j];
            }
          }
        }
      }
      for (int i = i0; i < i1; i++) {
        if (transC) {
          writeColumn(ws.acc[i], nc, c, cOff + jc * m + i, m, mode, e,
              mode == Gemm.BIAS_ACT ? eOff + i : eOff + jc * m + i, act, alpha);
        } else {
          writeRow(ws.acc[i], nc, c, cOff + i * n + jc, mode, e,
              mode == Gemm.BIAS_ACT ? eOff + jc : eOff + i * n + jc, act, alpha);
        }
      }
    }
  }

  /**
   * Writes one finished accumulator row as a column of the transposed C, element j at
   * {@code c[ci + j * ldc]}; the bias is the single {@code e[eo]}, Y is laid out like C.
   */
  private static void writeColumn(float[] acc, int nc, float[] c, int ci, int ldc, int mode,
      float[] e, int eo, Activation act, float alpha) {
    for (int j = 0; j < nc; j++) {
      float v = acc[j];
      if (mode == Gemm.BIAS_ACT) {
        v = act.apply(e == null ? v : v + e[eo], alpha);
      } else if (mode == Gemm.DERIV) {
        v = v * act.derivativeFromOutput(e[eo + j * ldc], alpha);
      }
      c[ci + j * ldc] = v;
    }
  }

  /** Writes one finished accumulator row to C through the epilogue. */
  private static void writeRow(float[] acc, int nc, float[] c, int ci, int mode, float[] e,
      int eo, Activation act, float alpha) {
    if (mode == Gemm.BIAS_ACT) {
      for (int j = 0; j < nc; j++) {
        float v = e == null ? acc[j] : acc[j] + e[eo + j];
        c[ci + j] = act.apply(v, alpha);
      }
    } else if (mode == Gemm.DERIV) {
      for (int j = 0; j < nc; j++) {
        c[ci + j] = acc[j] * act.derivativeFromOutput(e[eo + j], alpha);
      }
    } else {
      System.arraycopy(acc, 0, c, ci, nc);
    }
  }

  static void abt(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, float[] bias, int biasOff, Activation act, float alpha) {
    for (int i = 0; i < m; i++) {
      int ai = aOff + i * k;
      int ci = cOff + i * n;
      for (int j = 0; j < n; j++) {
        int bj = bOff + j * k;
        float s = 0f;
        for (int p = 0; p < k; p++) {
          s += a[ai + p] * b[bj + p];
        }
        if (bias != null) {
          s += bias[biasOff + j];
        }
        c[ci + j] = act.apply(s, alpha);
      }
    }
  }

  static void atb(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff) {
    java.util.Arrays.fill(c, cOff, cOff + m * n, 0f);
    for (int p = 0; p < k; p++) {
      int ap = aOff + p * m;
      int bp = bOff + p * n;
      for (int i = 0; i < m; i++) {
        float av = a[ap + i];
        int ci = cOff + i * n;
        for (int j = 0; j < n; j++) {
          c[ci + j] += av * b[bp + j];
        }
      }
    }
  }

  static void ab(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, float[] y, int yOff, Activation act, float alpha) {
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * n;
      java.util.Arrays.fill(c, ci, ci + n, 0f);
      for (int p = 0; p < k; p++) {
        float av = a[aOff + i * k + p];
        int bp = bOff + p * n;
        for (int j = 0; j < n; j++) {
          c[ci + j] += av * b[bp + j];
        }
      }
      if (y != null) {
        act.multiplyByDerivative(c, ci, y, yOff + i * n, n, alpha);
      }
    }
  }

  /**
   * {@code C = epilogue(A * B^T)} as dot products, A stored {@code [m][k]} and B {@code [n][k]}
   * (for n = 1 B is a contiguous column however it is stored): {@code C[i][j]} is the dot
   * product of row i of A and row j of B in eight partial sums (p mod 8, fused multiply-adds),
   * added pairwise at the end, then the products past the last multiple of 8 one by one. For
   * outputs too few to fill a packed tile: W1's 32 x 64 -> 1 output layer took 1.2 us packed and
   * a quarter of that here. Every path runs these sums for such products ({@code
   * VectorGemm.dots} on vectors, the same bits). The epilogue is as in {@code
   * VectorGemm.multiply}: e is the bias {@code [n]} or Y {@code [m][n]}.
   */
  static void dots(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c,
      int cOff, int mode, float[] e, int eOff, Activation act, float alpha) {
    for (int i = 0; i < m; i++) {
      int ai = aOff + i * k;
      for (int j = 0; j < n; j++) {
        int bj = bOff + j * k;
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        float s4 = 0f;
        float s5 = 0f;
        float s6 = 0f;
        float s7 = 0f;
        int p = 0;
        for (; p + 7 < k; p += 8) {
          s0 = Math.fma(a[ai + p], b[bj + p], s0);
          s1 = Math.fma(a[ai + p + 1], b[bj + p + 1], s1);
          s2 = Math.fma(a[ai + p + 2], b[bj + p + 2], s2);
          s3 = Math.fma(a[ai + p + 3], b[bj + p + 3], s3);
          s4 = Math.fma(a[ai + p + 4], b[bj + p + 4], s4);
          s5 = Math.fma(a[ai + p + 5], b[bj + p + 5], s5);
          s6 = Math.fma(a[ai + p + 6], b[bj + p + 6], s6);
          s7 = Math.fma(a[ai + p + 7], b[bj + p + 7], s7);
        }
        float s = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        for (; p < k; p++) {
          s = Math.fma(a[ai + p], b[bj + p], s);
        }
        c[cOff + i * n + j] = finish(s, mode, e, mode == Gemm.BIAS_ACT ? eOff + j
            : eOff + i * n + j, act, alpha);
      }
    }
  }

  /**
   * One finished sum's epilogue, as the vector kernels apply it: {@code act(s + e[eo])}
   * (BIAS_ACT; e may be null for no bias), {@code s * act'(e[eo])} (DERIV, e is Y), else s.
   */
  static float finish(float s, int mode, float[] e, int eo, Activation act, float alpha) {
    if (mode == Gemm.BIAS_ACT) {
      return act.apply(e == null ? s : s + e[eo], alpha);
    } else if (mode == Gemm.DERIV) {
      return s * act.derivativeFromOutput(e[eo], alpha);
    }
    return s;
  }

  /** Writes the epilogue of an empty product (k = 0): act(bias), or zeros. */
  static void epilogueOfZero(int m, int n, float[] c, int cOff, boolean transC, int mode,
      float[] e, int eOff, Activation act, float alpha) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float v = mode == Gemm.BIAS_ACT ? act.apply(e == null ? 0f : e[eOff + (transC ? i : j)],
            alpha) : 0f;
        c[cOff + (transC ? j * m + i : i * n + j)] = v;
      }
    }
  }

  /** Simple loops for one of the three layouts the public products use. */
  static void simple(int m, int n, int k, float[] a, int aOff, boolean transA, float[] b,
      int bOff, boolean transB, float[] c, int cOff, int mode, float[] e, int eOff,
      Activation act, float alpha) {
    if (!transA && transB && mode != Gemm.DERIV) {
      abt(m, n, k, a, aOff, b, bOff, c, cOff, mode == Gemm.BIAS_ACT ? e : null, eOff,
          mode == Gemm.BIAS_ACT ? act : Activation.IDENTITY, alpha);
    } else if (transA && !transB && mode == Gemm.STORE) {
      atb(m, n, k, a, aOff, b, bOff, c, cOff);
    } else if (!transA && !transB && mode != Gemm.BIAS_ACT) {
      ab(m, n, k, a, aOff, b, bOff, c, cOff, mode == Gemm.DERIV ? e : null, eOff, act, alpha);
    } else {
      throw new IllegalArgumentException("no simple loop for transA=" + transA + ", transB="
          + transB + ", mode=" + mode);
    }
  }
}
