package dev.annonet.kernels;

/**
 * Forward and backward kernels of a fully connected layer, laid out like torch.nn.Linear.
 *
 * <p>Activations are row-major {@code [batch][features]}. Parameters live in one flat buffer
 * {@code p} (and gradients in {@code g}, same layout): the weight {@code [nOut][nIn]} at
 * {@code wOff}, the bias {@code [nOut]} at {@code bOff}.
 */
public final class Dense {

  private Dense() {}

  /**
   * {@code out[b][o] = act(p[bOff + o] + sum_i x[b][i] * p[wOff + o * nIn + i])}.
   *
   * <p>Layouts: x {@code [batch][nIn]}, out {@code [batch][nOut]}, both from index 0.
   */
  public static void forward(float[] x, float[] p, int wOff, int bOff, float[] out,
      int batch, int nIn, int nOut, Activation act, float alpha) {
    Gemm.multiplyAbt(batch, nOut, nIn, x, 0, p, wOff, out, 0, p, bOff, act, alpha);
  }

  /**
   * Overwrites the parameter gradients: {@code g[wOff + o * nIn + i] = sum_b dOut[b][o] *
   * x[b][i]} and {@code g[bOff + o] = sum_b dOut[b][o]}.
   *
   * <p>Layouts: dOut {@code [batch][nOut]}, x {@code [batch][nIn]} (the layer's input).
   */
  public static void backwardParams(float[] dOut, float[] x, float[] g, int wOff, int bOff,
      int batch, int nIn, int nOut) {
    backwardParams(dOut, x, 0, g, wOff, bOff, batch, nIn, nOut);
  }

  /**
   * As above from the rows {@code [from, from + batch)} of dOut and x only: one slice's
   * gradient, the same bits as the slice's rows alone at row 0 ({@code BatchSlices}).
   */
  public static void backwardParams(float[] dOut, float[] x, int from, float[] g, int wOff,
      int bOff, int batch, int nIn, int nOut) {
    Gemm.multiplyAtb(nOut, nIn, batch, dOut, from * nOut, x, from * nIn, g, wOff);
    Gemm.sumColumns(batch, nOut, dOut, from * nOut, g, bOff);
  }

  /**
   * {@code dX[b][i] = act'(x[b][i]) * sum_o dOut[b][o] * p[wOff + o * nIn + i]}.
   *
   * <p>x is the layer's input, i.e. the previous layer's output after its activation
   * {@code act}, whose derivative is computed from it ({@link
   * Activation#derivativeFromOutput}); pass IDENTITY for a plain product. Layouts: dOut
   * {@code [batch][nOut]}, x and dX {@code [batch][nIn]}.
   */
  public static void backwardInput(float[] dOut, float[] p, int wOff, float[] x, float[] dX,
      int batch, int nIn, int nOut, Activation act, float alpha) {
    Gemm.multiplyAb(batch, nIn, nOut, dOut, 0, p, wOff, dX, 0,
        act == Activation.IDENTITY ? null : x, 0, act, alpha);
  }
}
