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
    for (int t = 0; t < outLen; t++) {
      dIn[argmax[t]] += dOut[t];
    }
    act.multiplyByDerivative(dIn, 0, in, 0, len, alpha);
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
