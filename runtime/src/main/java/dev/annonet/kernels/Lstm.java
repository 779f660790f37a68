package dev.annonet.kernels;

import java.util.List;

/**
 * Forward and backward kernels of one LSTM layer, as PyTorch's {@code nn.LSTM(nIn, hidden,
 * batch_first=True)}: one layer, one direction, zero initial state.
 *
 * <p>Per step, with gates in PyTorch's order i, f, g, o:
 * <pre>
 *   i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)     f = sigmoid(W_if x + b_if + W_hf h + b_hf)
 *   g = tanh(W_ig x + b_ig + W_hg h + b_hg)        o = sigmoid(W_io x + b_io + W_ho h + b_ho)
 *   c' = f * c + i * g                              h' = o * tanh(c')
 * </pre>
 *
 * <p>Parameters live in one flat buffer {@code p} (gradients in {@code g}, same layout) from
 * {@code off}, in {@code state_dict} order ({@link #PARAMETER_NAMES}): {@code weight_ih_l0
 * [4H][I]}, {@code weight_hh_l0 [4H][H]}, {@code bias_ih_l0 [4H]}, {@code bias_hh_l0 [4H]}, each
 * tensor's rows in gate order, so PyTorch's tensors load as they are. PyTorch initialises all
 * four with U(-1/sqrt(H), 1/sqrt(H)): {@link Init#recurrentUniform}.
 *
 * <p>Layouts: x {@code [batch][steps][nIn]}; out either {@code [batch][steps][hidden]} (every
 * step's h) or {@code [batch][hidden]} (the last step's h, PyTorch's {@code h_n}), as {@code
 * allSteps} says; dOut like out. The forward pass saves what the backward pass needs in {@code
 * work}, {@link #workSize} floats, which the backward pass also uses for its own scratch; nothing
 * is allocated per call.
 */
public final class Lstm {

  /** Gates per unit: i, f, g, o. */
  public static final int GATES = 4;

  /** The {@code state_dict} names of the four tensors, in their order in {@code p}. */
  public static final List<String> PARAMETER_NAMES = Recurrent.NAMES;

  private Lstm() {}

  /** The shapes of the tensors named by {@link #PARAMETER_NAMES}, in that order. */
  public static int[][] parameterShapes(int nIn, int hidden) {
    return Recurrent.shapes(GATES, nIn, hidden);
  }

  /** Parameters of one layer: {@code 4H (I + H + 2)}. */
  public static int parameterCount(int nIn, int hidden) {
    return Recurrent.parameterCount(GATES, nIn, hidden);
  }

  /**
   * Floats of work buffer for a batch of {@code batch} sequences of {@code steps} steps:
   * {@code T B (2 I + 11 H) + 6 B H}.
   */
  public static int workSize(int batch, int steps, int nIn, int hidden) {
    return dxtOff(batch, steps, nIn, hidden) + steps * batch * nIn;
  }

  // Work layout, all time-major: input copy xT [T][B][I], gates [T][B][4H] (pre-activations,
  // then i, f, g, o), cell states c [T][B][H], tanh(c) [T][B][H], hidden states h [T][B][H],
  // a step's recurrent term [B][4H]; for backward: pre-activation gradients dG [T][B][4H], the
  // gradients dh and dc [B][H] carried to the step before, and the input gradient [T][B][I].

  private static int gatesOff(int batch, int steps, int nIn) {
    return steps * batch * nIn;
  }

  private static int cellOff(int batch, int steps, int nIn, int hidden) {
    return gatesOff(batch, steps, nIn) + steps * batch * GATES * hidden;
  }

  private static int tanhOff(int batch, int steps, int nIn, int hidden) {
    return cellOff(batch, steps, nIn, hidden) + steps * batch * hidden;
  }

  private static int hiddenOff(int batch, int steps, int nIn, int hidden) {
    return tanhOff(batch, steps, nIn, hidden) + steps * batch * hidden;
  }

  private static int recOff(int batch, int steps, int nIn, int hidden) {
    return hiddenOff(batch, steps, nIn, hidden) + steps * batch * hidden;
  }

  private static int dgOff(int batch, int steps, int nIn, int hidden) {
    return recOff(batch, steps, nIn, hidden) + batch * GATES * hidden;
  }

  private static int dhOff(int batch, int steps, int nIn, int hidden) {
    return dgOff(batch, steps, nIn, hidden) + steps * batch * GATES * hidden;
  }

  private static int dcOff(int batch, int steps, int nIn, int hidden) {
    return dhOff(batch, steps, nIn, hidden) + batch * hidden;
  }

  private static int dxtOff(int batch, int steps, int nIn, int hidden) {
    return dcOff(batch, steps, nIn, hidden) + batch * hidden;
  }

  /** Offset in work of the cell state c of step t, {@code [batch][hidden]} (for tests). */
  static int cellState(int batch, int steps, int nIn, int hidden, int t) {
    return cellOff(batch, steps, nIn, hidden) + t * batch * hidden;
  }

  /**
   * Runs the layer over x; writes out (every step's h, or the last step's) and saves gates,
   * cell states and hidden states in work for {@link #backward}.
   */
  public static void forward(float[] x, float[] p, int off, float[] out, boolean allSteps,
      float[] work, int batch, int steps, int nIn, int hidden) {
    int gh = GATES * hidden;
    int gates = gatesOff(batch, steps, nIn);
    int cell = cellOff(batch, steps, nIn, hidden);
    int tanhC = tanhOff(batch, steps, nIn, hidden);
    int hs = hiddenOff(batch, steps, nIn, hidden);
    int rec = recOff(batch, steps, nIn, hidden);
    boolean vector = Kernels.vectorApiAvailable();
    Recurrent.projectInput(x, p, off, work, 0, gates, GATES, batch, steps, nIn, hidden);
    for (int t = 0; t < steps; t++) {
      Recurrent.recurrentTerm(p, off, work, hs, t, rec, GATES, batch, nIn, hidden);
      for (int b = 0; b < batch; b++) {
        int row = t * batch + b;
        int gi = gates + row * gh;
        int ri = rec + b * gh;
        int ci = row * hidden;
        int oi = Recurrent.outRow(allSteps, b, t, steps, hidden);
        // Gate pre-activations, then the gates in place; the recurrent row, used up, is scratch.
        Recurrent.add(work, gi, work, ri, gh, vector);
        Recurrent.sigmoid(work, gi, 2 * hidden, work, ri, vector); // i, f
        Recurrent.tanh(work, gi + 2 * hidden, work, gi + 2 * hidden, hidden, work, ri, vector);
        Recurrent.sigmoid(work, gi + 3 * hidden, hidden, work, ri, vector); // o
        int c = cell + ci;
        for (int j = 0; j < hidden; j++) {
          float ig = work[gi + j] * work[gi + 2 * hidden + j];
          work[c + j] = t == 0 ? ig : work[gi + hidden + j] * work[c - batch * hidden + j] + ig;
        }
        Recurrent.tanh(work, c, work, tanhC + ci, hidden, work, ri, vector);
        for (int j = 0; j < hidden; j++) {
          float h = work[gi + 3 * hidden + j] * work[tanhC + ci + j];
          work[hs + ci + j] = h;
          if (oi >= 0) {
            out[oi + j] = h;
          }
        }
      }
    }
  }

  /**
   * Backpropagation through time over the whole sequence, after {@link #forward} with the same p
   * and work (which holds a copy of x): overwrites the four parameter gradients in g (at the
   * parameters' offsets) and, unless dX is null, writes dX {@code [batch][steps][nIn]}. dOut is
   * the gradient of the loss with respect to out, laid out like out ({@code allSteps} as in the
   * forward call).
   */
  public static void backward(float[] dOut, boolean allSteps, float[] p, int off,
      float[] g, float[] dX, float[] work, int batch, int steps, int nIn, int hidden) {
    int gh = GATES * hidden;
    int gates = gatesOff(batch, steps, nIn);
    int cell = cellOff(batch, steps, nIn, hidden);
    int tanhC = tanhOff(batch, steps, nIn, hidden);
    int dg = dgOff(batch, steps, nIn, hidden);
    int dh = dhOff(batch, steps, nIn, hidden);
    int dc = dcOff(batch, steps, nIn, hidden);
    for (int t = steps - 1; t >= 0; t--) {
      for (int b = 0; b < batch; b++) {
        int row = t * batch + b;
        int gi = gates + row * gh;
        int di = dg + row * gh;
        int ci = row * hidden;
        int cPrev = ci - batch * hidden;
        int carry = b * hidden;
        int oi = Recurrent.outRow(allSteps, b, t, steps, hidden);
        for (int j = 0; j < hidden; j++) {
          // dL/dh and dL/dc of this step: from the output, and carried from step t+1.
          float dhv = oi >= 0 ? dOut[oi + j] : 0f;
          float dcv = 0f;
          if (t < steps - 1) {
            dhv += work[dh + carry + j];
            dcv = work[dc + carry + j];
          }
          float in = work[gi + j];
          float forget = work[gi + hidden + j];
          float cand = work[gi + 2 * hidden + j];
          float o = work[gi + 3 * hidden + j];
          float tc = work[tanhC + ci + j];
          float cp = t == 0 ? 0f : work[cell + cPrev + j];
          dcv += dhv * o * (1f - tc * tc);
          work[di + j] = dcv * cand * in * (1f - in);
          work[di + hidden + j] = dcv * cp * forget * (1f - forget);
          work[di + 2 * hidden + j] = dcv * in * (1f - cand * cand);
          work[di + 3 * hidden + j] = dhv * tc * o * (1f - o);
          work[dc + carry + j] = dcv * forget;
        }
      }
      if (t > 0) {
        Recurrent.recurrentGradient(p, off, work, dg, t, dh, GATES, batch, nIn, hidden);
      }
    }
    Recurrent.parameterGradients(p, off, g, dX, work, 0, hiddenOff(batch, steps, nIn, hidden),
        dg, dg, dxtOff(batch, steps, nIn, hidden), GATES, batch, steps, nIn, hidden);
  }
}
