package dev.annonet.kernels;

/**
 * Forward and backward kernels of 2-D max and average pooling, as torch.nn.MaxPool2d and
 * AvgPool2d without padding.
 *
 * <p>Images are channels-first and batch-major flat arrays from index 0: the input is
 * {@code [batch][c][h][w]}, the output {@code [batch][c][oh][ow]} with {@code oh = (h - size) /
 * stride + 1} and {@code ow = (w - size) / stride + 1}. Windows are {@code size x size}, the
 * stride is the same both ways and windows never leave the image. Nothing is allocated.
 *
 * <p>Large 2x2 max pooling calls are shared between the kernel threads ({@link
 * Kernels#setThreads}) plane by plane; each output depends on its own window only, so the
 * results are the same for any number of threads.
 */
public final class Pool {

  /** Input elements below which a call stays on the caller's thread. */
  private static final int PARALLEL_MIN_INPUT = 1 << 15;

  /** Per-thread job describing the call being shared, reused from call to call. */
  private static final ThreadLocal<Job> JOB = ThreadLocal.withInitial(Job::new);

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
    maxForward(in, out, argmax, 0, batch, c, h, w, size, stride);
  }

  /**
   * {@link #maxForward(float[], float[], int[], int, int, int, int, int, int)} on images {@code
   * [from, to)} of the batch only, the others left as they are: each image's results depend on
   * that image alone ({@link ImageChain}).
   */
  public static void maxForward(float[] in, float[] out, int[] argmax, int from, int to, int c,
      int h, int w, int size, int stride) {
    int oh = (h - size) / stride + 1;
    int ow = (w - size) / stride + 1;
    int p0 = from * c;
    int p1 = to * c;
    if (size == 2) {
      int planes = p1 - p0;
      if (planes >= 2 && (long) planes * h * w >= PARALLEL_MIN_INPUT) {
        Job job = JOB.get();
        job.set(Job.FORWARD, in, out, argmax, null, p0, p1, h, w, stride, oh, ow, null);
        TaskTeam.run(job);
        job.clear();
      } else {
        max2(in, out, argmax, p0, p1, h, w, stride, oh, ow);
      }
      return;
    }
    int t = p0 * oh * ow;
    for (int plane = p0; plane < p1; plane++) {
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
    maxBackward(dOut, argmax, in, dIn, 0, batch, c, h, w, size, stride, act, alpha);
  }

  /**
   * {@link #maxBackward(float[], int[], float[], float[], int, int, int, int, int, int,
   * Activation, float)} on images {@code [from, to)} of the batch only ({@link ImageChain}).
   */
  public static void maxBackward(float[] dOut, int[] argmax, float[] in, float[] dIn, int from,
      int to, int c, int h, int w, int size, int stride, Activation act, float alpha) {
    int oh = (h - size) / stride + 1;
    int ow = (w - size) / stride + 1;
    int p0 = from * c;
    int p1 = to * c;
    int start = p0 * h * w;
    int len = (p1 - p0) * h * w;
    if (stride >= size && (act == Activation.RELU || act == Activation.IDENTITY)) {
      if (p1 - p0 >= 2 && (long) len >= PARALLEL_MIN_INPUT) {
        Job job = JOB.get();
        job.set(Job.BACKWARD, dOut, dIn, argmax, in, p0, p1, h, w, stride, oh, ow, act);
        TaskTeam.run(job);
        job.clear();
      } else {
        scatter(dOut, argmax, in, dIn, p0, p1, h * w, oh * ow, act);
      }
      return;
    }
    java.util.Arrays.fill(dIn, start, start + len, 0f);
    for (int t = p0 * oh * ow; t < p1 * oh * ow; t++) {
      dIn[argmax[t]] += dOut[t];
    }
    act.multiplyByDerivative(dIn, start, in, start, len, alpha);
  }

  /**
   * {@link #maxForward} for 2x2 windows on planes {@code [p0, p1)}: the same comparisons in
   * the same order, written without branches so that random data costs no mispredictions.
   */
  private static void max2(float[] in, float[] out, int[] argmax, int p0, int p1, int h, int w,
      int stride, int oh, int ow) {
    if (Kernels.vectorApiAvailable() && VectorPool.handles(h, w, oh, ow)) {
      VectorPool.max2(in, out, argmax, p0, p1, h, w, stride, oh, ow);
      return;
    }
    int t = p0 * oh * ow;
    for (int plane = p0; plane < p1; plane++) {
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
    avgForward(in, out, 0, batch, c, h, w, size, stride);
  }

  /**
   * {@link #avgForward(float[], float[], int, int, int, int, int, int)} on images {@code [from,
   * to)} of the batch only ({@link ImageChain}).
   */
  public static void avgForward(float[] in, float[] out, int from, int to, int c, int h, int w,
      int size, int stride) {
    int oh = (h - size) / stride + 1;
    int ow = (w - size) / stride + 1;
    float scale = 1f / (size * size);
    int t = from * c * oh * ow;
    for (int plane = from * c; plane < to * c; plane++) {
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
    avgBackward(dOut, in, dIn, 0, batch, c, h, w, size, stride, act, alpha);
  }

  /**
   * {@link #avgBackward(float[], float[], float[], int, int, int, int, int, int, Activation,
   * float)} on images {@code [from, to)} of the batch only ({@link ImageChain}).
   */
  public static void avgBackward(float[] dOut, float[] in, float[] dIn, int from, int to, int c,
      int h, int w, int size, int stride, Activation act, float alpha) {
    int oh = (h - size) / stride + 1;
    int ow = (w - size) / stride + 1;
    int first = from * c * h * w;
    int len = (to - from) * c * h * w;
    java.util.Arrays.fill(dIn, first, first + len, 0f);
    float scale = 1f / (size * size);
    int t = from * c * oh * ow;
    for (int plane = from * c; plane < to * c; plane++) {
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
    act.multiplyByDerivative(dIn, first, in, first, len, alpha);
  }

  /**
   * The backward pass of non-overlapping windows on planes {@code [p0, p1)}: zero, then each
   * dOut to its chosen element, times the RELU or IDENTITY derivative there. Each input element
   * gets at most one dOut, and the unchosen ones stay 0 under either derivative.
   */
  private static void scatter(float[] dOut, int[] argmax, float[] in, float[] dIn, int p0,
      int p1, int planeLen, int outPlane, Activation act) {
    java.util.Arrays.fill(dIn, p0 * planeLen, p1 * planeLen, 0f);
    int t1 = p1 * outPlane;
    if (act == Activation.RELU) {
      for (int t = p0 * outPlane; t < t1; t++) {
        int a = argmax[t];
        dIn[a] = Float.intBitsToFloat(
            Float.floatToRawIntBits(dOut[t]) & Activation.positiveMask(in[a]));
      }
    } else {
      for (int t = p0 * outPlane; t < t1; t++) {
        dIn[argmax[t]] = dOut[t];
      }
    }
  }

  /** One call shared between threads: contiguous ranges of planes. */
  private static final class Job extends TaskTeam.Task {
    static final int FORWARD = 0;
    static final int BACKWARD = 1;

    int kind;
    /** FORWARD: the input; BACKWARD: dOut. */
    float[] a;
    /** FORWARD: out; BACKWARD: dIn. */
    float[] b;
    int[] argmax;
    /** BACKWARD: the pooling input, for the derivative. */
    float[] in;
    /** The first plane and one past the last. */
    int p0;
    int p1;
    int h;
    int w;
    int stride;
    int oh;
    int ow;
    Activation act;

    void set(int kind, float[] a, float[] b, int[] argmax, float[] in, int p0, int p1, int h,
        int w, int stride, int oh, int ow, Activation act) {
      this.kind = kind;
      this.a = a;
      this.b = b;
      this.argmax = argmax;
      this.in = in;
      this.p0 = p0;
      this.p1 = p1;
      this.h = h;
      this.w = w;
      this.stride = stride;
      this.oh = oh;
      this.ow = ow;
      this.act = act;
    }

    /** Drops the references to the caller's arrays. */
    void clear() {
      a = null;
      b = null;
      argmax = null;
      in = null;
    }

    @Override
    int parts(int threads) {
      return Math.min(threads, p1 - p0);
    }

    @Override
    String kind() {
      return kind == FORWARD ? "pooling, forward" : "pooling, backward";
    }

    @Override
    void run(int part, int parts) {
      int planes = p1 - p0;
      int q0 = p0 + (int) ((long) planes * part / parts);
      int q1 = p0 + (int) ((long) planes * (part + 1) / parts);
      if (q0 >= q1) {
        return;
      }
      if (kind == FORWARD) {
        max2(a, b, argmax, q0, q1, h, w, stride, oh, ow);
      } else {
        scatter(a, argmax, in, b, q0, q1, h * w, oh * ow, act);
      }
    }
  }
}
