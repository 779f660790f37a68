package dev.annonet.kernels;

/**
 * Kernels for branches: {@code @Add} sums outputs of the same shape, {@code @Concat} joins them
 * per sample (for channels-first images, joining along the channels is joining each sample's
 * contiguous blocks), and {@link #accumulate} sums the gradients a value receives from several
 * consumers.
 */
public final class Merge {
  private Merge() {}

  /** {@code out[k] = act(a[k] + b[k])} for {@code k < n}; {@code out} may be {@code a}. */
  public static void add(float[] out, float[] a, float[] b, int n, Activation act, float alpha) {
    for (int k = 0; k < n; k++) {
      out[k] = act.apply(a[k] + b[k], alpha);
    }
  }

  /** {@code dIn[k] = actIn'(in[k]) * dZ[k]}: the gradient an addend receives. */
  public static void addBackward(
      float[] dZ, float[] in, float[] dIn, int n, Activation actIn, float alphaIn) {
    for (int k = 0; k < n; k++) {
      dIn[k] = actIn.derivativeFromOutput(in[k], alphaIn) * dZ[k];
    }
  }

  /**
   * Copies each sample's {@code inSize} values of {@code in} to {@code out} at {@code offset}
   * within that sample's {@code outSize} values.
   */
  public static void concat(
      float[] out, int outSize, int offset, float[] in, int inSize, int batch) {
    for (int b = 0; b < batch; b++) {
      System.arraycopy(in, b * inSize, out, b * outSize + offset, inSize);
    }
  }

  /** The gradient of one part of a concatenation: its slice of {@code dZ}, times actIn'. */
  public static void concatBackward(
      float[] dZ, int outSize, int offset, float[] in, float[] dIn, int inSize, int batch,
      Activation actIn, float alphaIn) {
    for (int b = 0; b < batch; b++) {
      int src = b * outSize + offset;
      int dst = b * inSize;
      for (int k = 0; k < inSize; k++) {
        dIn[dst + k] = actIn.derivativeFromOutput(in[dst + k], alphaIn) * dZ[src + k];
      }
    }
  }

  /** {@code dst[k] += src[k]} for {@code k < n}. */
  public static void accumulate(float[] dst, float[] src, int n) {
    for (int k = 0; k < n; k++) {
      dst[k] += src[k];
    }
  }
}
