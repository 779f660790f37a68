package dev.annonet.kernels;

import java.util.List;

/**
 * Forward and backward kernels of one GRU layer, as PyTorch's {@code nn.GRU(nIn, hidden,
 * batch_first=True)}: one layer, one direction, zero initial state.
 *
 * <p>Per step, with gates in PyTorch's order r, z, n:
 * <pre>
 *   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)     z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r * (W_hn h + b_hn))  h' = (1 - z) * n + z * h
 * </pre>
 *
 * <p>Parameters, their names, shapes and initialisation, and the layouts of x, out, dOut, dX and
 * work are as in {@link Lstm}, with 3H gate rows where an LSTM has 4H.
 */
public final class Gru {

  /** Gates per unit: r, z, n. */
  public static final int GATES = 3;

  /** The {@code state_dict} names of the four tensors, in their order in {@code p}. */
  public static final List<String> PARAMETER_NAMES = Recurrent.NAMES;

  private Gru() {}

  /** The shapes of the tensors named by {@link #PARAMETER_NAMES}, in that order. */
  public static int[][] parameterShapes(int nIn, int hidden) {
    return Recurrent.shapes(GATES, nIn, hidden);
  }

  /** Parameters of one layer: {@code 3H (I + H + 2)}. */
  public static int parameterCount(int nIn, int hidden) {
    return Recurrent.parameterCount(GATES, nIn, hidden);
  }

  /**
   * Floats of work buffer for a batch of {@code batch} sequences of {@code steps} steps:
   * {@code T B (2 I + 11 H) + 5 B H}.
   */
  public static int workSize(int batch, int steps, int nIn, int hidden) {
    return dxtOff(batch, steps, nIn, hidden) + steps * batch * nIn;
  }

  // Work layout, all time-major: input copy xT [T][B][I], gates [T][B][3H] (pre-activations,
  // then r, z, n), the recurrent n term W_hn h + b_hn [T][B][H], hidden states h [T][B][H], a
  // step's recurrent term [B][3H]; for backward: the pre-activation gradients of the input side
  // dGi [T][B][3H] and of the recurrent side dGh [T][B][3H] (they differ in n, where the
  // recurrent term is scaled by r), the gradient dh [B][H] reaching the step before through
  // W_hh and the part dh z [B][H] reaching it directly, and the input gradient [T][B][I].

  private static int gatesOff(int batch, int steps, int nIn) {
    return steps * batch * nIn;
  }

  private static int newRecOff(int batch, int steps, int nIn, int hidden) {
    return gatesOff(batch, steps, nIn) + steps * batch * GATES * hidden;
  }

  private static int hiddenOff(int batch, int steps, int nIn, int hidden) {
    return newRecOff(batch, steps, nIn, hidden) + steps * batch * hidden;
  }

  private static int recOff(int batch, int steps, int nIn, int hidden) {
    return hiddenOff(batch, steps, nIn, hidden) + steps * batch * hidden;
  }

  private static int dgiOff(int batch, int steps, int nIn, int hidden) {
    return recOff(batch, steps, nIn, hidden) + batch * GATES * hidden;
  }

  private static int dghOff(int batch, int steps, int nIn, int hidden) {
    return dgiOff(batch, steps, nIn, hidden) + steps * batch * GATES * hidden;
  }

  private static int dhOff(int batch, int steps, int nIn, int hidden) {
    return dghOff(batch, steps, nIn, hidden) + steps * batch * GATES * hidden;
  }

  private static int dhzOff(int batch, int steps, int nIn, int hidden) {
    return dhOff(batch, steps, nIn, hidden) + batch * hidden;
  }

  private static int dxtOff(int batch, int steps, int nIn, int hidden) {
    return dhzOff(batch, steps, nIn, hidden) + batch * hidden;
  }

  /**
   * Runs the layer over x; writes out (every step's h, or the last step's) and saves gates,
   * recurrent n terms and hidden states in work for {@link #backward}.
   */
  public static void forward(float[] x, float[] p, int off, float[] out, boolean allSteps,
      float[] work, int batch, int steps, int nIn, int hidden) {
    int gh = GATES * hidden;
    int gates = gatesOff(batch, steps, nIn);
    int newRec = newRecOff(batch, steps, nIn, hidden);
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
        int hi = row * hidden;
        int oi = Recurrent.outRow(allSteps, b, t, steps, hidden);
        // Gate pre-activations, then the gates in place; the recurrent row, used up, is scratch.
        Recurrent.add(work, gi, work, ri, 2 * hidden, vector);
        Recurrent.sigmoid(work, gi, 2 * hidden, work, ri, vector); // r, z
        for (int j = 0; j < hidden; j++) {
          float hn = work[ri + 2 * hidden + j];
          work[newRec + hi + j] = hn;
          work[gi + 2 * hidden + j] += work[gi + j] * hn;
        }
        Recurrent.tanh(work, gi + 2 * hidden, work, gi + 2 * hidden, hidden, work, ri, vector);
        for (int j = 0; j < hidden; j++) {
          float cand = work[gi + 2 * hidden + j];
          float hp = t == 0 ? 0f : work[hs + hi - batch * hidden + j];
          // (h - n) z + n, PyTorch's order of operations for (1 - z) n + z h.
          float h = (hp - cand) * work[gi + hidden + j] + cand;
          work[hs + hi + j] = h;
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
  public static void backward(float[] dOut, boolean allSteps, float[] p, int off, float[] g,
      float[] dX, float[] work, int batch, int steps, int nIn, int hidden) {
    int gh = GATES * hidden;
    int gates = gatesOff(batch, steps, nIn);
    int newRec = newRecOff(batch, steps, nIn, hidden);
    int hs = hiddenOff(batch, steps, nIn, hidden);
    int dgi = dgiOff(batch, steps, nIn, hidden);
    int dgh = dghOff(batch, steps, nIn, hidden);
    int dh = dhOff(batch, steps, nIn, hidden);
    int dhz = dhzOff(batch, steps, nIn, hidden);
    for (int t = steps - 1; t >= 0; t--) {
      for (int b = 0; b < batch; b++) {
        int row = t * batch + b;
        int gi = gates + row * gh;
        int ii = dgi + row * gh;
        int hi = dgh + row * gh;
        int ni = row * hidden;
        int hPrev = ni - batch * hidden;
        int carry = b * hidden;
        int oi = Recurrent.outRow(allSteps, b, t, steps, hidden);
        for (int j = 0; j < hidden; j++) {
          // dL/dh of this step: from the output, and carried from step t+1.
          float dhv = oi >= 0 ? dOut[oi + j] : 0f;
          if (t < steps - 1) {
            dhv += work[dh + carry + j] + work[dhz + carry + j];
          }
          float reset = work[gi + j];
          float update = work[gi + hidden + j];
          float cand = work[gi + 2 * hidden + j];
          float hp = t == 0 ? 0f : work[hs + hPrev + j];
          float dCand = dhv * (1f - update) * (1f - cand * cand);
          float dReset = dCand * work[newRec + ni + j] * reset * (1f - reset);
          float dUpdate = dhv * (hp - cand) * update * (1f - update);
          work[ii + j] = dReset;
          work[ii + hidden + j] = dUpdate;
          work[ii + 2 * hidden + j] = dCand;
          work[hi + j] = dReset;
          work[hi + hidden + j] = dUpdate;
          work[hi + 2 * hidden + j] = dCand * reset;
          work[dhz + carry + j] = dhv * update;
        }
      }
      if (t > 0) {
        Recurrent.recurrentGradient(p, off, work, dgh, t, dh, GATES, batch, nIn, hidden);
      }
    }
    Recurrent.parameterGradients(p, off, g, dX, work, 0, hs, dgi, dgh,
        dxtOff(batch, steps, nIn, hidden), GATES, batch, steps, nIn, hidden);
  }
}
