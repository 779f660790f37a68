package dev.annonet.kernels;

import java.util.List;

/**
 * What {@link Lstm} and {@link Gru} share: PyTorch's parameter layout of one recurrent layer,
 * the input projection of all steps in one product, the recurrent product of one step, and the
 * weight gradients of all steps in one product each.
 *
 * <p>Dimensions: {@code B} batch, {@code T} steps, {@code I} input width, {@code H} hidden
 * width, {@code G} gates (4 for an LSTM, 3 for a GRU), {@code GH = G * H}. Inside the kernels
 * every sequence buffer is time-major, {@code [T][B][...]}, so that one step's rows are
 * contiguous and each step's recurrent product is a plain {@code [B][H] x [H][GH]} product;
 * the caller's input and output stay batch-major {@code [B][T][...]}, as PyTorch's
 * {@code batch_first=True}.
 */
final class Recurrent {

  /** PyTorch's {@code state_dict} names of one layer's tensors, in their order in memory. */
  static final List<String> NAMES =
      List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0");

  private Recurrent() {}

  /** {@code weight_ih_l0 [GH][I]}, {@code weight_hh_l0 [GH][H]}, both biases {@code [GH]}. */
  static int[][] shapes(int gates, int nIn, int hidden) {
    int gh = gates * hidden;
    return new int[][] {{gh, nIn}, {gh, hidden}, {gh}, {gh}};
  }

  static int parameterCount(int gates, int nIn, int hidden) {
    return gates * hidden * (nIn + hidden + 2);
  }

  /** Offset of {@code weight_hh_l0} from the layer's first parameter. */
  static int weightHh(int gates, int nIn, int hidden) {
    return gates * hidden * nIn;
  }

  /** Offset of {@code bias_ih_l0} from the layer's first parameter. */
  static int biasIh(int gates, int nIn, int hidden) {
    return gates * hidden * (nIn + hidden);
  }

  /** Offset of {@code bias_hh_l0} from the layer's first parameter. */
  static int biasHh(int gates, int nIn, int hidden) {
    return gates * hidden * (nIn + hidden + 1);
  }

  /**
   * Copies x {@code [B][T][I]} into xT {@code [T][B][I]} at xtOff, then writes the input
   * projection of every step, {@code pre[t][b] = W_ih x[b][t] + b_ih} ({@code [T][B][GH]} at
   * preOff), in one product.
   */
  static void projectInput(float[] x, float[] p, int off, float[] work, int xtOff, int preOff,
      int gates, int batch, int steps, int nIn, int hidden) {
    transpose(x, 0, work, xtOff, batch, steps, nIn);
    int gh = gates * hidden;
    Gemm.multiplyAbt(steps * batch, gh, nIn, work, xtOff, p, off, work, preOff, p,
        off + biasIh(gates, nIn, hidden), Activation.IDENTITY, 0f);
  }

  /**
   * The recurrent term of step t: {@code rec[b] = W_hh h[t-1][b] + b_hh}, {@code [B][GH]} at
   * recOff, from the hidden states {@code [T][B][H]} at hOff; at step 0 the state is zero and
   * the term is {@code b_hh} alone.
   */
  static void recurrentTerm(float[] p, int off, float[] work, int hOff, int t, int recOff,
      int gates, int batch, int nIn, int hidden) {
    int gh = gates * hidden;
    int bHh = off + biasHh(gates, nIn, hidden);
    if (t == 0) {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(p, bHh, work, recOff + b * gh, gh);
      }
      return;
    }
    Gemm.multiplyAbt(batch, gh, hidden, work, hOff + (t - 1) * batch * hidden, p,
        off + weightHh(gates, nIn, hidden), work, recOff, p, bHh, Activation.IDENTITY, 0f);
  }

  /**
   * Where sample b's h of step t sits in out (or its gradient in dOut), {@code [B][T][H]} if
   * allSteps, else {@code [B][H]} for the last step only; -1 if out has no place for it.
   */
  static int outRow(boolean allSteps, int b, int t, int steps, int hidden) {
    if (allSteps) {
      return (b * steps + t) * hidden;
    }
    return t == steps - 1 ? b * hidden : -1;
  }

  /**
   * The gradient reaching h[t-1] through the recurrent product: {@code dh[b] = W_hh^T dGh[t][b]}
   * ({@code [B][H]} at dhOff) from the recurrent pre-activation gradients {@code [T][B][GH]} at
   * dghOff.
   */
  static void recurrentGradient(float[] p, int off, float[] work, int dghOff, int t, int dhOff,
      int gates, int batch, int nIn, int hidden) {
    int gh = gates * hidden;
    Gemm.multiplyAb(batch, hidden, gh, work, dghOff + t * batch * gh, p,
        off + weightHh(gates, nIn, hidden), work, dhOff, null, 0, Activation.IDENTITY, 0f);
  }

  /**
   * From the pre-activation gradients of all steps, {@code dGi} (input side, {@code [T][B][GH]}
   * at dgiOff) and {@code dGh} (recurrent side, at dghOff; the same offset when they are equal,
   * as in an LSTM), overwrites the four parameter gradients in g and, unless dX is null, writes
   * the input gradient {@code dX [B][T][I]} via the scratch {@code [T][B][I]} at dxtOff.
   */
  static void parameterGradients(float[] p, int off, float[] g, float[] dX, float[] work,
      int xtOff, int hOff, int dgiOff, int dghOff, int dxtOff, int gates, int batch, int steps,
      int nIn, int hidden) {
    int gh = gates * hidden;
    int rows = steps * batch;
    Gemm.multiplyAtb(gh, nIn, rows, work, dgiOff, work, xtOff, g, off);
    // h[t-1] meets dGh[t] for t >= 1 only: the state before step 0 is zero.
    Gemm.multiplyAtb(gh, hidden, rows - batch, work, dghOff + batch * gh, work, hOff, g,
        off + weightHh(gates, nIn, hidden));
    Gemm.sumColumns(rows, gh, work, dgiOff, g, off + biasIh(gates, nIn, hidden));
    if (dghOff == dgiOff) {
      System.arraycopy(g, off + biasIh(gates, nIn, hidden), g, off + biasHh(gates, nIn, hidden),
          gh);
    } else {
      Gemm.sumColumns(rows, gh, work, dghOff, g, off + biasHh(gates, nIn, hidden));
    }
    if (dX != null) {
      Gemm.multiplyAb(rows, nIn, gh, work, dgiOff, p, off, work, dxtOff, null, 0,
          Activation.IDENTITY, 0f);
      transpose(work, dxtOff, dX, 0, steps, batch, nIn);
    }
  }

  /** Copies a {@code [n1][n2][len]} array at srcOff into {@code [n2][n1][len]} at dstOff. */
  static void transpose(float[] src, int srcOff, float[] dst, int dstOff, int n1, int n2,
      int len) {
    for (int i = 0; i < n1; i++) {
      for (int j = 0; j < n2; j++) {
        System.arraycopy(src, srcOff + (i * n2 + j) * len, dst, dstOff + (j * n1 + i) * len, len);
      }
    }
  }

  // The gate nonlinearities, in float from fma, multiply, add, divide and bit moves only, so
  // that they give the same bits compiled or interpreted, and in VectorRecurrent's lanes as
  // here (Math.exp and the Vector API's EXP may differ by an ulp between the interpreter and
  // compiled code). Cephes' expf and tanhf (S. Moshier): exp within 2 ulp of the exact value,
  // sigmoid and tanh within 3 (LstmGruGateFunctionsTest).

  static final float EXP_MAX = 88.3f;
  static final float EXP_MIN = -87.3f;
  static final float LOG2E = 1.44269504088896341f;
  /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer. */
  static final float ROUND = 12582912f;
  static final int ROUND_BITS = 0x4B400000;
  /** ln 2 in two parts, the first exact in few bits, so n * LN2_HI is exact. */
  static final float LN2_HI = 0.693359375f;
  static final float LN2_LO = -2.12194440e-4f;
  static final float E5 = 1.9875691500e-4f;
  static final float E4 = 1.3981999507e-3f;
  static final float E3 = 8.3334519073e-3f;
  static final float E2 = 4.1665795894e-2f;
  static final float E1 = 1.6666665459e-1f;
  static final float E0 = 5.0000001201e-1f;
  /** Below this |x|, tanh is a polynomial in x; above, {@code 1 - 2 / (exp(2|x|) + 1)}. */
  static final float TANH_SMALL = 0.625f;
  static final float T4 = -5.70498872745e-3f;
  static final float T3 = 2.06390887954e-2f;
  static final float T2 = -5.37397155531e-2f;
  static final float T1 = 1.33314422036e-1f;
  static final float T0 = -3.33332819422e-1f;

  /** {@code a[i] += b[i]} for {@code i < len}. */
  static void add(float[] a, int aOff, float[] b, int bOff, int len, boolean vector) {
    int j = vector ? VectorRecurrent.add(a, aOff, b, bOff, len) : 0;
    for (; j < len; j++) {
      a[aOff + j] += b[bOff + j];
    }
  }

  /** {@code a[i] = sigmoid(a[i])} for {@code i < len}; {@code scratch [len]} at sOff is used. */
  static void sigmoid(float[] a, int aOff, int len, float[] scratch, int sOff, boolean vector) {
    int j = vector ? VectorRecurrent.sigmoid(a, aOff, len, scratch, sOff) : 0;
    for (; j < len; j++) {
      a[aOff + j] = sigmoid(a[aOff + j]);
    }
  }

  /**
   * {@code y[i] = tanh(x[i])} for {@code i < len} (y may be x); {@code scratch [len]} at sOff is
   * used.
   */
  static void tanh(float[] x, int xOff, float[] y, int yOff, int len, float[] scratch, int sOff,
      boolean vector) {
    int j = vector ? VectorRecurrent.tanh(x, xOff, y, yOff, len, scratch, sOff) : 0;
    for (; j < len; j++) {
      y[yOff + j] = tanh(x[xOff + j]);
    }
  }

  /** {@code e^x}, x clamped to [-87.3, 88.3] (a normal float either way); NaN stays NaN. */
  static float exp(float x) {
    x = Math.max(EXP_MIN, Math.min(EXP_MAX, x));
    // n = round(x log2 e), r = x - n ln 2 in [-ln2/2, ln2/2], e^x = 2^n e^r.
    float t = Math.fma(x, LOG2E, ROUND);
    float n = t - ROUND;
    float r = Math.fma(n, -LN2_LO, Math.fma(n, -LN2_HI, x));
    float y = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(E5, r, E4), r, E3), r, E2), r, E1),
        r, E0);
    y = Math.fma(y, r * r, r) + 1f;
    return y * Float.intBitsToFloat((Float.floatToRawIntBits(t) - ROUND_BITS + 127) << 23);
  }

  /** The logistic function {@code 1 / (1 + e^-x)}; about 4.5e-39 at most below x = -87.3. */
  static float sigmoid(float x) {
    return 1f / (1f + exp(-x));
  }

  static float tanh(float x) {
    float a = Math.abs(x);
    if (a >= TANH_SMALL) {
      return Math.copySign(1f - 2f / (exp(a + a) + 1f), x);
    }
    float z = x * x;
    float q = Math.fma(Math.fma(Math.fma(Math.fma(T4, z, T3), z, T2), z, T1), z, T0);
    return Math.fma(q * z, x, x);
  }
}
