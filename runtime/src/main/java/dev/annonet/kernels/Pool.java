package dev.annonet.kernels;

/**
 * Forward and backward kernels of 2-D max and average pooling, as torch.nn.MaxPool2d and
 * AvgPool2d without padding.
 *
 * <p>Images are channels-first and batch-major flat arrays from index 0: the input is
 * {@code [batch][c][h][w]}, the output {@code [batch][c][oh][ow]} with {@code oh = (h - size) /
 * stride + 1} and {@code ow = (w - size) / stride + 1}. Windows are {@code size x size}, the
 * stride is the same both ways and windows never leave the image. Nothing is allocated.
 */
public final class Pool {

  private Pool() {}

  /**
   * {@code out[b][ch][y][x] = max_{i,j < size} in[b][ch][y*stride+i][x*stride+j]}; records in
   * {@code argmax[b][ch][y][x]} the flat index into {@code in} of the chosen element (the first
   * in row-major window order among equal maxima; a NaN wins).
   *
   * <p>Layouts: in {@code [batch][c][h][w]}, out and argmax {@code [batch][c][oh][ow]}.
   */
  public static void maxForward(float[] in, float[] out, int[] argmax, int batch, int c, int h,
      int w, int size, int stride) {
    int oh = (h - size) / stride + 1;
    int ow = (w - size) / stride + 1;
    if (size == 2) {
      if (Kernels.vectorApiAvailable() && VectorPool.handles(batch * c, h, w, oh, ow)) {
        VectorPool.max2(in, out, argmax, batch * c, h, w, stride, oh, ow);
      } else {
        max2(in, out, argmax, batch * c, h, w, stride, oh, ow);
      }
      return;
    }
    int t = 0;
    for (int plane = 0; plane < batch * c; plane++) {
      int base = plane * h * w;
      for (int y = 0; y < oh; y++) {
        for (int x = 0; x < ow; x++) {
          int start = base + y * stride * w + x * stride;
          int best = start;
          float bestV = in[start];
          for (int i = 0; i < size; i++) {
            int row = start + i * w;
            for (int j = 0; j < size; j++) {
              float v = in[row + j];
              if (v > bestV || (v != v && bestV == bestV)) {
                bestV = v;
                best = row + j;
              }
            }
          }
          out[t] = bestV;
          argmax[t] = best;
          t++;
        }
      }
    }
  }

  /**
   * Overwrites {@code dIn}: zero except {@code dIn[argmax[t]] += dOut[t]}, then multiplied by
   * {@code act'(in)}, where {@code in} is the pooling input, i.e. the producer's output after its
   * activation {@code act} (IDENTITY for none).
   *
   * <p>Layouts: dOut and argmax {@code [batch][c][oh][ow]}, in and dIn {@code [batch][c][h][w]}.
   */
  public static void maxBackward(float[] dOut, int[] argmax, float[] in, float[] dIn, int batch,
      int c, int h, int w, int size, int stride, Activation act, float alpha) {
    int oh = (h - size) / stride + 1;
    int ow = (w - size) / stride + 1;
    int len = batch * c * h * w;
    java.util.Arrays.fill(dIn, 0, len, 0f);
    int outLen = batch * c * oh * ow;
    if (stride >= size && (act == Activation.RELU || act == Activation.IDENTITY)) {
      // Windows do not overlap: each input element gets at most one dOut, and the unchosen
      // ones stay 0 under either derivative, so only the chosen elements need it.
      if (act == Activation.RELU) {
        for (int t = 0; t < outLen; t++) {
          int a = argmax[t];
          dIn[a] = in[a] > 0f ? dOut[t] : 0f;
        }
      } else {
        for (int t = 0; t < outLen; t++) {
          dIn[argmax[t]] = dOut[t];
        }
      }
      return;
    }
    for (int t = 0; t < outLen; t++) {
      dIn[argmax[t]] += dOut[t];
    }
    act.multiplyByDerivative(dIn, 0, in, 0, len, alpha);
  }

  /**
   * {@link #maxForward} for 2x2 windows: the same comparisons in the same order, written
   * without branches so that random data costs no mispredictions.
   */
  private static void max2(float[] in, float[] out, int[] argmax, int planes, int h, int w,
      int stride, int oh, int ow) {
    int t = 0;
    for (int plane = 0; plane < planes; plane++) {
      int base = plane * h * w;
      for (int y = 0; y < oh; y++) {
        int r0 = base + y * stride * w;
        for (int x = 0; x < ow; x++) {
          int i0 = r0 + x * stride;
          int i2 = i0 + w;
          float v0 = in[i0];
          float v1 = in[i0 + 1];
          float v2 = in[i2];
          float v3 = in[i2 + 1];
          // Take v when it beats the best so far, or is NaN and the best is not: the first
          // maximum in row-major order wins ties and the first NaN wins outright.
          int best = i0;
          float bestV = v0;
          boolean take = !(v1 <= bestV) & bestV == bestV;
          best = take ? i0 + 1 : best;
          bestV = take ? v1 : bestV;
          take = !(v2 <= bestV) & bestV == bestV;
          best = take ? i2 : best;
          bestV = take ? v2 : bestV;
          take = !(v3 <= bestV) & bestV == bestV;
          best = take ? i2 + 1 : best;
          bestV = take ? v3 : bestV;
          out[t] = bestV;
          argmax[t] = best;
          t++;
        }
      }
    }
  }

  /**
   * {@code out[b][ch][y][x] = (1 / size^2) sum_{i,j < size} in[b][ch][y*stride+i][x*stride+j]}.
   *
   * <p>Layouts: in {@code [batch][c][h][w]}, out {@code [batch][c][oh][ow]}.
   */
  public static void avgForward(float[] in, float[] out, int batch, int c, int h, int w,
      int size, int stride) {
    int oh = (h - size) / stride + 1;
    int ow = (w - size) / stride + 1;
    float scale = 1f / (size * size);
    int t = 0;
    for (int plane = 0; plane < batch * c; plane++) {
      int base = plane * h * w;
      for (int y = 0; y < oh; y++) {
        for (int x = 0; x < ow; x++) {
          int start = base + y * stride * w + x * stride;
          float s = 0f;
          for (int i = 0; i < size; i++) {
            int row = start + i * w;
            for (int j = 0; j < size; j++) {
              s += in[row + j];
            }
          }
          out[t++] = s * scale;
        }
      }
    }
  }

  /**
   * Overwrites {@code dIn[b][ch][y*stride+i][x*stride+j] = act'(in) * sum over the windows
   * containing it of dOut[b][ch][y][x] / size^2}, where {@code in} is the pooling input, the
   * producer's output after its activation {@code act} (IDENTITY for none).
   *
   * <p>Layouts: dOut {@code [batch][c][oh][ow]}, in and dIn {@code [batch][c][h][w]}.
   */
  public static void avgBackward(float[] dOut, float[] in, float[] dIn, int batch, int c, int h,
      int w, int size, int stride, Activation act, float alpha) {
    int oh = (h - size) / stride + 1;
    int ow = (w - size) / stride + 1;
    int len = batch * c * h * w;
    java.util.Arrays.fill(dIn, 0, len, 0f);
    float scale = 1f / (size * size);
    int t = 0;
    for (int plane = 0; plane < batch * c; plane++) {
      int base = plane * h * w;
      for (int y = 0; y < oh; y++) {
        for (int x = 0; x < ow; x++) {
          int start = base + y * stride * w + x * stride;
          float d = dOut[t++] * scale;
          for (int i = 0; i < size; i++) {
            int row = start + i * w;
            for (int j = 0; j < size; j++) {
              dIn[row + j] += d;
            }
          }
        }
      }
    }
    act.multiplyByDerivative(dIn, 0, in, 0, len, alpha);
  }
}
