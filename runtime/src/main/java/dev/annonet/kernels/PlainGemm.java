package dev.annonet.kernels;

/** Plain-Java matrix products, the fallback when the Vector API is absent; see {@link Gemm}. */
final class PlainGemm {

  private PlainGemm() {}

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

  /** Writes the epilogue of an empty product (k = 0): act(bias), or zeros. */
  static void epilogueOfZero(int m, int n, float[] c, int cOff, int mode, float[] e, int eOff,
      Activation act, float alpha) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        c[cOff + i * n + j] = mode == Gemm.BIAS_ACT
            ? act.apply(e == null ? 0f : e[eOff + j], alpha) : 0f;
      }
    }
  }
}
