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

  /** The logistic function, evaluated in double and rounded once, as {@link Activation}. */
  static float sigmoid(float x) {
    return (float) (1.0 / (1.0 + Math.exp(-x)));
  }

  static float tanh(float x) {
    return (float) Math.tanh(x);
  }
}
