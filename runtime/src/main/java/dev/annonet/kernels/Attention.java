package dev.annonet.kernels;

/**
 * Forward and backward kernels of causal multi-head self-attention, laid out like PyTorch's
 * {@code nn.MultiheadAttention(d, heads, batch_first=True)} called as {@code m(x, x, x,
 * attn_mask=causal)} without dropout, so that GPT and PyTorch weights load as they are.
 *
 * <p>Dimensions: batch B, sequence length T, width d, heads H, head size {@code hs = d / H}.
 * Input and output are row-major {@code [B][T][d]} from index 0. Parameters live in one flat
 * buffer {@code p} (gradients in {@code g}, same layout), each at its own offset:
 * {@code in_proj_weight [3d][d]} (the rows of W_q, then W_k, then W_v), {@code in_proj_bias
 * [3d]}, {@code out_proj.weight [d][d]}, {@code out_proj.bias [d]}; in PyTorch's state_dict
 * order they are contiguous ({@link #parameterCount}).
 *
 * <p>Forward: {@code qkv = x W_in^T + b_in} (one product for all positions); for each (batch,
 * head) pair, {@code P = softmax(q k^T / sqrt(hs))} over the causal triangle only ({@code j <=
 * i}; the masked entries are exactly 0 and never computed), with the row maximum subtracted, and
 * {@code y = P v}; the heads' y side by side, {@code out = act(y W_out^T + b_out)}. The pairs
 * are shared between the kernel threads ({@link Kernels#setThreads}); each pair is computed
 * whole by one thread in a fixed order, so results are bit-identical at any thread count.
 *
 * <p>The caller provides one work buffer of {@link #workSize} floats per layer: forward saves in
 * it what backward reads (qkv, the probabilities P, y) and backward uses the rest. Nothing is
 * allocated per call. Layout, from index 0: qkv {@code [B][T][3d]}; P {@code [B][H][T(T+1)/2]},
 * row i of a pair's triangle at {@code i(i+1)/2}, holding {@code P[i][0..i]}; y {@code
 * [B][T][d]}; then backward's scratch: the scores' gradient {@code dS}, triangles as P's, {@code
 * dy [B][T][d]} and {@code dqkv [B][T][3d]}.
 */
public final class Attention {

  /** Pairs (batch, head) below which the core stays on the caller's thread. */
  private static final int PARALLEL_MIN_PAIRS = 2;

  private static final ThreadLocal<Core> CORE = ThreadLocal.withInitial(Core::new);

  private Attention() {}

  /** Floats of the parameters of one layer of width d: {@code 4 d^2 + 4 d}. */
  public static int parameterCount(int d) {
    return 4 * d * d + 4 * d;
  }

  /** Floats of the work buffer {@link #forward} fills and {@link #backward} reads and reuses. */
  public static int workSize(int batch, int t, int d, int heads) {
    return dqkvOffset(batch, t, d, heads) + batch * t * 3 * d;
  }

  /**
   * {@code out = act(MultiheadAttention(x))}, saving in {@code work} what {@link #backward}
   * needs.
   *
   * <p>Layouts: x and out {@code [batch][t][d]} from index 0; p holds {@code in_proj_weight
   * [3d][d]} at {@code inW}, {@code in_proj_bias [3d]} at {@code inB}, {@code out_proj.weight
   * [d][d]} at {@code outW}, {@code out_proj.bias [d]} at {@code outB}; work has at least
   * {@link #workSize} floats. {@code act} is fused into the output projection (IDENTITY for
   * none, as PyTorch's module has).
   *
   * @throws IllegalArgumentException if {@code heads} does not divide {@code d}
   */
  public static void forward(float[] x, float[] p, int inW, int inB, int outW, int outB,
      float[] out, float[] work, int batch, int t, int d, int heads, Activation act,
      float alpha) {
    checkSizes(work, batch, t, d, heads);
    int rows = batch * t;
    Gemm.multiplyAbt(rows, 3 * d, d, x, 0, p, inW, work, 0, p, inB, Activation.IDENTITY, 0f);
    runCore(Core.FORWARD, work, batch, t, d, heads);
    Gemm.multiplyAbt(rows, d, d, work, yOffset(batch, t, d, heads), p, outW, out, 0, p, outB,
        act, alpha);
  }

  /**
   * Overwrites the four parameter gradients in {@code g} (same offsets as in p) and, unless
   * {@code dX} is null, the input gradient, from {@code dOut} = dL/d(out) before the output's
   * activation, after a {@link #forward} of the same x and p into the same {@code work}.
   *
   * <p>{@code inAct} is the activation of the layer that produced x, whose derivative is fused
   * into dX and computed from x ({@link Activation#derivativeFromOutput}), as in {@link
   * Dense#backwardInput}; IDENTITY for a plain gradient. Layouts: dX, dOut and x {@code
   * [batch][t][d]} from index 0. Work's saved part is left as forward wrote it.
   */
  public static void backward(float[] dX, float[] g, float[] dOut, float[] x, float[] p,
      int inW, int inB, int outW, int outB, float[] work, int batch, int t, int d, int heads,
      Activation inAct, float inAlpha) {
    checkSizes(work, batch, t, d, heads);
    int rows = batch * t;
    int y = yOffset(batch, t, d, heads);
    int dy = dyOffset(batch, t, d, heads);
    int dqkv = dqkvOffset(batch, t, d, heads);
    // Output projection, as Dense's backward.
    Gemm.multiplyAtb(d, d, rows, dOut, 0, work, y, g, outW);
    Gemm.sumColumns(rows, d, dOut, 0, g, outB);
    Gemm.multiplyAb(rows, d, d, dOut, 0, p, outW, work, dy, null, 0, Activation.IDENTITY, 0f);
    runCore(Core.BACKWARD, work, batch, t, d, heads);
    // Input projection.
    Gemm.multiplyAtb(3 * d, d, rows, work, dqkv, x, 0, g, inW);
    Gemm.sumColumns(rows, 3 * d, work, dqkv, g, inB);
    if (dX != null) {
      Gemm.multiplyAb(rows, d, 3 * d, work, dqkv, p, inW, dX, 0,
          inAct == Activation.IDENTITY ? null : x, 0, inAct, inAlpha);
    }
  }

  private static void checkSizes(float[] work, int batch, int t, int d, int heads) {
    if (heads < 1 || d % heads != 0) {
      throw new IllegalArgumentException(
          "width " + d + " is not divisible by " + heads + " heads: choose heads dividing d");
    }
    int need = workSize(batch, t, d, heads);
    if (work.length < need) {
      throw new IllegalArgumentException("work holds " + work.length + " floats, attention of"
          + " batch " + batch + ", length " + t + ", width " + d + ", " + heads + " heads needs "
          + need + " (Attention.workSize)");
    }
  }

  // ---- Work layout

  private static int triangle(int t) {
    return t * (t + 1) / 2;
  }

  static int probabilitiesOffset(int batch, int t, int d) {
    return batch * t * 3 * d;
  }

  static int yOffset(int batch, int t, int d, int heads) {
    return probabilitiesOffset(batch, t, d) + batch * heads * triangle(t);
  }

  private static int scoreGradientOffset(int batch, int t, int d, int heads) {
    return yOffset(batch, t, d, heads) + batch * t * d;
  }

  private static int dyOffset(int batch, int t, int d, int heads) {
    return scoreGradientOffset(batch, t, d, heads) + batch * heads * triangle(t);
  }

  private static int dqkvOffset(int batch, int t, int d, int heads) {
    return dyOffset(batch, t, d, heads) + batch * t * d;
  }

  // ---- The core, one (batch, head) pair at a time

  private static void runCore(int kind, float[] work, int batch, int t, int d, int heads) {
    Core core = CORE.get();
    core.kind = kind;
    // Read once per call: every pair of the call takes the same path.
    core.vector = Kernels.vectorApiAvailable();
    core.work = work;
    core.batch = batch;
    core.t = t;
    core.d = d;
    core.heads = heads;
    try {
      if (batch * heads >= PARALLEL_MIN_PAIRS) {
        TaskTeam.run(core);
      } else {
        core.run(0, 1);
      }
    } finally {
      core.work = null;
    }
  }

  /** The per-pair part of one call, shared between threads as contiguous ranges of pairs. */
  private static final class Core extends TaskTeam.Task {
    static final int FORWARD = 0;
    static final int BACKWARD = 1;

    int kind;
    boolean vector;
    float[] work;
    int batch;
    int t;
    int d;
    int heads;

    @Override
    int parts(int threads) {
      return Math.min(threads, batch * heads);
    }

    @Override
    String kind() {
      return kind == FORWARD ? "attention, forward" : "attention, backward";
    }

    @Override
    void run(int part, int parts) {
      int pairs = batch * heads;
      int from = (int) ((long) pairs * part / parts);
      int to = (int) ((long) pairs * (part + 1) / parts);
      for (int pair = from; pair < to; pair++) {
        if (kind == FORWARD) {
          forwardPair(work, pair / heads, pair % heads, batch, t, d, heads, vector);
        } else {
          backwardPair(work, pair / heads, pair % heads, batch, t, d, heads, vector);
        }
      }
    }
  }

  /**
   * Scores, softmax and {@code y = P v} of one pair: row i of the scores is {@code q_i . k_j}
   * for {@code j <= i}, and {@code y_i = sum_j P_ij v_j}.
   */
  private static void forwardPair(float[] w, int b, int h, int batch, int t, int d, int heads,
      boolean vector) {
    int hs = d / heads;
    int stride = 3 * d;
    float scale = (float) (1 / Math.sqrt(hs));
    int q = b * t * stride + h * hs;
    int k = q + d;
    int v = k + d;
    int p0 = probabilitiesOffset(batch, t, d) + (b * heads + h) * triangle(t);
    int y0 = yOffset(batch, t, d, heads) + b * t * d + h * hs;
    for (int i = 0; i < t; i++) {
      int row = p0 + triangle(i);
      int len = i + 1;
      dots(w, q + i * stride, k, stride, hs, len, scale, row, vector);
      softmaxRow(w, row, len);
      combineRow(w, row, v, stride, hs, len, y0 + i * d, vector);
    }
  }

  /**
   * Gradients of one pair, from {@code dy}: row by row, {@code dP_i = dy_i v^T} and {@code dS_i
   * = P_i (dP_i - P_i . dP_i) / sqrt(hs)} (the scores' gradient, kept as a triangle), {@code
   * dq_i = dS_i k}; then, column by column, {@code dk_j = sum_i dS_ij q_i} and {@code dv_j =
   * sum_i P_ij dy_i} over {@code i >= j}.
   */
  private static void backwardPair(float[] w, int b, int h, int batch, int t, int d, int heads,
      boolean vector) {
    int hs = d / heads;
    int stride = 3 * d;
    float scale = (float) (1 / Math.sqrt(hs));
    int pair = b * heads + h;
    int q = b * t * stride + h * hs;
    int k = q + d;
    int v = k + d;
    int dq = dqkvOffset(batch, t, d, heads) + b * t * stride + h * hs;
    int p0 = probabilitiesOffset(batch, t, d) + pair * triangle(t);
    int ds0 = scoreGradientOffset(batch, t, d, heads) + pair * triangle(t);
    int dy0 = dyOffset(batch, t, d, heads) + b * t * d + h * hs;
    for (int i = 0; i < t; i++) {
      int row = p0 + triangle(i);
      int ds = ds0 + triangle(i);
      int len = i + 1;
      dots(w, dy0 + i * d, v, stride, hs, len, 1f, ds, vector);
      double dot = 0;
      for (int j = 0; j < len; j++) {
        dot += (double) w[row + j] * w[ds + j];
      }
      float dotF = (float) dot;
      for (int j = 0; j < len; j++) {
        w[ds + j] = w[row + j] * (w[ds + j] - dotF) * scale;
      }
      combineRow(w, ds, k, stride, hs, len, dq + i * stride, vector);
    }
    for (int j = 0; j < t; j++) {
      combineColumn(w, ds0, j, t, q, stride, hs, dq + d + j * stride, vector);
      combineColumn(w, p0, j, t, dy0, d, hs, dq + 2 * d + j * stride, vector);
    }
  }

  /**
   * {@code w[out + j] = scale * sum_c w[a + c] w[rows + j * stride + c]} for {@code j < len}:
   * one row of scores (or of their gradient) from a query (or dy) and the keys (or values).
   */
  private static void dots(float[] w, int a, int rows, int stride, int hs, int len, float scale,
      int out, boolean vector) {
    int from = vector ? VectorAttention.whole(hs) : 0;
    for (int j = 0; j < len; j++) {
      int r = rows + j * stride;
      float sum = vector ? VectorAttention.dot(w, a, r, from) : 0f;
      for (int c = from; c < hs; c++) {
        sum += w[a + c] * w[r + c];
      }
      w[out + j] = scale * sum;
    }
  }

  /**
   * {@code w[y + c] = sum_{j < len} w[p + j] w[rows + j * stride + c]} for {@code c < hs}: a row
   * of weights times the first len rows.
   */
  private static void combineRow(float[] w, int p, int rows, int stride, int hs, int len, int y,
      boolean vector) {
    int from = 0;
    if (vector) {
      from = VectorAttention.whole(hs);
      VectorAttention.combineRow(w, p, rows, stride, len, y, from);
    }
    for (int c = from; c < hs; c++) {
      float sum = 0f;
      for (int j = 0; j < len; j++) {
        sum += w[p + j] * w[rows + j * stride + c];
      }
      w[y + c] = sum;
    }
  }

  /**
   * {@code w[y + c] = sum_{j <= i < t} w[p0 + i(i+1)/2 + j] w[rows + i * stride + c]} for
   * {@code c < hs}: column j of a triangle of weights times the rows from j on.
   */
  private static void combineColumn(float[] w, int p0, int j, int t, int rows, int stride,
      int hs, int y, boolean vector) {
    int from = 0;
    if (vector) {
      from = VectorAttention.whole(hs);
      VectorAttention.combineColumn(w, p0, j, t, rows, stride, y, from);
    }
    for (int c = from; c < hs; c++) {
      float sum = 0f;
      for (int i = j; i < t; i++) {
        sum += w[p0 + triangle(i) + j] * w[rows + i * stride + c];
      }
      w[y + c] = sum;
    }
  }

  /**
   * Replaces {@code w[row .. row+len)} by its softmax: the maximum subtracted, exponentials in
   * double, their sum in double.
   */
  private static void softmaxRow(float[] w, int row, int len) {
    float max = w[row];
    for (int j = 1; j < len; j++) {
      max = Math.max(max, w[row + j]);
    }
    double total = 0;
    for (int j = 0; j < len; j++) {
      float e = (float) Math.exp(w[row + j] - max);
      w[row + j] = e;
      total += e;
    }
    float inv = (float) (1 / total);
    for (int j = 0; j < len; j++) {
      w[row + j] *= inv;
    }
  }
}
