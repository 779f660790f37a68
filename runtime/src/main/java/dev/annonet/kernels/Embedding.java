package dev.annonet.kernels;

import java.util.Arrays;

/**
 * Forward and backward of a token embedding, PyTorch's {@code nn.Embedding(vocabulary, dim)}.
 *
 * <p>Layouts: the ids {@code [batch][steps]}, one whole number in {@code [0, vocabulary)} per
 * position stored as a float; the weight {@code [vocabulary][dim]} at {@code p[wOff]}; the
 * output {@code [batch][steps][dim]}.
 */
public final class Embedding {
  private Embedding() {}

  /**
   * {@code out[b][t][j] = p[wOff + id[b][t] * dim + j]}, after checking each id ({@link #id}).
   */
  public static void forward(float[] ids, float[] p, int wOff, float[] out, int batch, int steps,
      int vocabulary, int dim) {
    // Every id is checked before any row is copied: a bad id fails the pass as a whole.
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < steps; t++) {
        id(ids[b * steps + t], b, t, vocabulary);
      }
    }
    for (int k = 0; k < batch * steps; k++) {
      System.arraycopy(p, wOff + (int) ids[k] * dim, out, k * dim, dim);
    }
  }

  /**
   * Overwrites the weight gradient: {@code g[wOff + v * dim + j] = sum over (b, t) with id v of
   * dOut[b][t][j]}, added in the order of b then t, so the sums do not depend on the threads.
   */
  public static void backward(float[] dOut, float[] ids, float[] g, int wOff, int batch,
      int steps, int vocabulary, int dim) {
    backward(dOut, ids, 0, g, wOff, batch, steps, vocabulary, dim);
  }

  /**
   * As above from the samples {@code [from, from + batch)} only: one slice's gradient, the same
   * bits as the slice's samples alone at sample 0 ({@code BatchSlices}).
   */
  public static void backward(float[] dOut, float[] ids, int from, float[] g, int wOff,
      int batch, int steps, int vocabulary, int dim) {
    Arrays.fill(g, wOff, wOff + vocabulary * dim, 0f);
    for (int k = from * steps; k < (from + batch) * steps; k++) {
      int row = wOff + (int) ids[k] * dim;
      int d = k * dim;
      for (int j = 0; j < dim; j++) {
        g[row + j] += dOut[d + j];
      }
    }
  }

  /**
   * The token id {@code value} of position {@code position} of sample {@code sample} as an int.
   *
   * @throws IllegalArgumentException naming the sample, the position, the value and the fix
   *     unless it is a whole number in {@code [0, vocabulary)}
   */
  public static int id(float value, int sample, int position, int vocabulary) {
    int id = (int) value;
    if (id != value || id < 0 || id >= vocabulary) {
      String problem = id != value
          ? "which is not a whole number"
          : "outside the vocabulary [0, " + vocabulary + ")";
      String fix = id != value || id < 0
          ? "token ids are the whole numbers 0.." + (vocabulary - 1) + "; re-encode the data"
          : "re-encode the data, or declare @TokenInput(vocabulary = " + (id + 1) + ") or more";
      throw new IllegalArgumentException("sample " + sample + ", position " + position
          + " holds token id " + value + ", " + problem + ": " + fix);
    }
    return id;
  }
}
