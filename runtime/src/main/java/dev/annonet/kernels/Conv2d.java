package dev.annonet.kernels;

/**
 * Forward and backward kernels of a 2-D convolution, laid out like torch.nn.Conv2d.
 *
 * <p>Images are channels-first and batch-major flat arrays from index 0: the input is
 * {@code [batch][inC][h][w]}, the output {@code [batch][outC][oh][ow]} with {@code oh =
 * outputSize(h, k, stride, pad)} and {@code ow = outputSize(w, k, stride, pad)}. Parameters
 * live in one flat buffer {@code p} (gradients in {@code g}, same layout): the weight
 * {@code [outC][inC][k][k]} at {@code wOff}, the bias {@code [outC]} at {@code bOff}. Kernels
 * are square, the stride is the same both ways and the zero padding is symmetric.
 *
 * <p>With the Vector API and stride 1 (see {@link Kernels}) the work goes to {@code VectorConv},
 * which reads the receptive fields straight from a padded copy of each image, and is shared
 * between the kernel threads ({@link Kernels#setThreads}) image by image: the forward pass and
 * the input gradient are computed per image, the parameter gradients as partial sums over
 * fixed blocks of images ({@link #gradientBlocks}) added in a fixed order, so the bits do not
 * depend on the number of threads. Otherwise
 * each image is unfolded (im2col) into a per-thread work buffer of {@code inC * k * k} rows by
 * {@code oh * ow} columns and multiplied with the {@link Gemm} kernels, the parameter gradient
 * summed by the same blocks of images. Work buffers grow on
 * demand and are then reused: after warm-up no call allocates. Results are deterministic: the
 * order of summation depends only on the sizes, the path and the vector width.
 *
 * <p>The overloads with {@code from, to} work on a range of the batch's images, and {@link
 * #weightPartials} with {@link #reducePartials} split the parameter gradient at its blocks: the
 * passes of {@link ImageChain}, which run the convolutions and poolings at the front of a
 * network one range of images per thread.
 */
public final class Conv2d {

  /**
   * Per-thread work buffers: 0 = unfolded image or its gradient, 1 = weight gradient, 2 = the
   * parameter gradient's partial sums in {@link #backwardParams}.
   */
  private static final ThreadLocal<float[][]> WORK =
      ThreadLocal.withInitial(() -> new float[3][0]);

  /** Multiply-adds below which a call stays on the caller's thread. */
  private static final long PARALLEL_MIN_WORK = 1 << 17;

  /**
   * The fewest partial sums (floats, all blocks) whose reduction to the parameter gradient the
   * kernel threads share, by output channels. The reduction reads each partial once, half of
   * them written by the other core on two threads: LeNet-5's second convolution (8 blocks of
   * 39,168) took about 70 us of a 2-thread step on the calling thread alone.
   */
  private static final long PARALLEL_MIN_PARTIALS = 1 << 16;

  /** Images per block of the parameter gradient's partial sums, at least. */
  static final int BLOCK_IMAGES = 8;

  /** Blocks of the parameter gradient's partial sums, at most. */
  static final int MAX_BLOCKS = 16;

  /** Per-thread job describing the call being shared, reused from call to call. */
  private static final ThreadLocal<Job> JOB = ThreadLocal.withInitial(Job::new);

  private Conv2d() {}

  /** Whether the Vector API kernels handle this convolution. */
  private static boolean vectorized(int stride) {
    return stride == 1 && Kernels.vectorApiAvailable();
  }

  /** Runs the job on the kernel threads if it is worth it, else on the caller. */
  private static void run(Job job, int batch, int inC, int k, int outC, int oh, int ow) {
    if (batch >= 2 && (long) batch * inC * k * k * outC * oh * ow >= PARALLEL_MIN_WORK) {
      TaskTeam.run(job);
    } else {
      job.run(0, 1);
    }
  }

  /** Returns the output size along one axis: {@code (size + 2 pad - k) / stride + 1}. */
  public static int outputSize(int size, int k, int stride, int pad) {
    return (size + 2 * pad - k) / stride + 1;
  }

  /**
   * {@code out[b][o][y][x] = act(bias[o] + sum_{c,i,j} in[b][c][y*stride+i-pad][x*stride+j-pad]
   * * w[o][c][i][j])}, with zeros outside the image.
   *
   * <p>Layouts: in {@code [batch][inC][h][w]}, out {@code [batch][outC][oh][ow]}, weight
   * {@code [outC][inC][k][k]} at {@code p[wOff]}, bias {@code [outC]} at {@code p[bOff]}.
   */
  public static void forward(float[] in, float[] p, int wOff, int bOff, float[] out, int batch,
      int inC, int h, int w, int outC, int k, int stride, int pad, Activation act,
      float alpha) {
    forward(in, p, wOff, bOff, out, 0, batch, inC, h, w, outC, k, stride, pad, act, alpha);
  }

  /**
   * {@link #forward(float[], float[], int, int, float[], int, int, int, int, int, int, int, int,
   * Activation, float)} on images {@code [from, to)} of the batch only, the others left as they
   * are: each image's output depends on that image alone ({@link ImageChain}).
   */
  public static void forward(float[] in, float[] p, int wOff, int bOff, float[] out, int from,
      int to, int inC, int h, int w, int outC, int k, int stride, int pad, Activation act,
      float alpha) {
    int oh = outputSize(h, k, stride, pad);
    int ow = outputSize(w, k, stride, pad);
    if (vectorized(stride)) {
      Job job = JOB.get();
      job.set(Job.FORWARD, in, p, wOff, bOff, out, null, to - from, inC, h, w, outC, k, pad, act,
          alpha);
      job.from = from;
      run(job, to - from, inC, k, outC, oh, ow);
      job.clear();
      return;
    }
    int rows = inC * k * k;
    int cols = oh * ow;
    boolean direct = isPointwise(k, stride, pad);
    float[] col = direct ? null : buffer(0, rows * cols);
    for (int b = from; b < to; b++) {
      int inOff = b * inC * h * w;
      int outOff = b * outC * cols;
      if (direct) {
        Gemm.multiplyAb(outC, cols, rows, p, wOff, in, inOff, out, outOff, null, 0,
            Activation.IDENTITY, 0f);
      } else {
        im2col(in, inOff, col, inC, h, w, k, stride, pad, oh, ow);
        Gemm.multiplyAb(outC, cols, rows, p, wOff, col, 0, out, outOff, null, 0,
            Activation.IDENTITY, 0f);
      }
      for (int o = 0; o < outC; o++) {
        int row = outOff + o * cols;
        float bias = p[bOff + o];
        for (int t = row; t < row + cols; t++) {
          out[t] += bias;
        }
        act.applyInPlace(out, row, cols, alpha);
      }
    }
  }

  /**
   * Overwrites the parameter gradients: {@code g[wOff..]} = dL/dW {@code [outC][inC][k][k]} and
   * {@code g[bOff..]} = dL/db {@code [outC]}.
   *
   * <p>Layouts: dOut {@code [batch][outC][oh][ow]} (gradient with respect to the
   * pre-activation), in {@code [batch][inC][h][w]} (the layer's input).
   */
  public static void backwardParams(float[] dOut, float[] in, float[] g, int wOff, int bOff,
      int batch, int inC, int h, int w, int outC, int k, int stride, int pad) {
    backwardParams(dOut, in, 0, g, wOff, bOff, batch, inC, h, w, outC, k, stride, pad);
  }

  /**
   * {@link #backwardParams(float[], float[], float[], int, int, int, int, int, int, int, int,
   * int, int)} over the {@code batch} images from image {@code from} of dOut and in, read in
   * place: the bits of those images passed on their own, blocks included (a sliced batch run
   * whole on one thread, {@code BatchSlices}).
   */
  public static void backwardParams(float[] dOut, float[] in, int from, float[] g, int wOff,
      int bOff, int batch, int inC, int h, int w, int outC, int k, int stride, int pad) {
    float[] part = buffer(2, partialsLength(batch, inC, outC, k, stride));
    partials(dOut, in, from, batch, 0, gradientBlocks(batch), part, inC, h, w, outC, k, stride,
        pad);
    reducePartials(part, g, wOff, bOff, batch, inC, outC, k, stride);
  }

  /**
   * Floats of the parameter gradient's partial sums over a batch of {@code batch} images, one
   * run of them per block of images ({@link #gradientBlocks}): what {@link #weightPartials}
   * writes and {@link #reducePartials} reads.
   */
  public static int partialsLength(int batch, int inC, int outC, int k, int stride) {
    return gradientBlocks(batch) * blockLength(inC, outC, k, stride);
  }

  /**
   * {@code partials} if it holds the {@link #partialsLength} floats of a batch of {@code batch}
   * images, else a new array that does: the buffer a model keeps for {@link #weightPartials}.
   */
  public static float[] partialsFor(float[] partials, int batch, int inC, int outC, int k,
      int stride) {
    int len = partialsLength(batch, inC, outC, k, stride);
    return partials != null && partials.length >= len ? partials : new float[len];
  }

  /** Floats of one block's partial sums: per-lane sums with the Vector API, else dW and db. */
  private static int blockLength(int inC, int outC, int k, int stride) {
    return vectorized(stride)
        ? VectorConv.partialLength(inC, outC, k)
        : outC * inC * k * k + outC;
  }

  /**
   * The first half of {@link #backwardParams}, for images {@code [from, to)} of a batch of
   * {@code batch} run as ranges ({@link ImageChain}): writes into {@code partials} ({@link
   * #partialsLength} floats) the partial sums of the blocks of images in the range, which must
   * start and end where blocks do ({@link ImageChain} cuts batches so). Once every block's are
   * written, {@link #reducePartials} makes the gradient: the bits of {@link #backwardParams}
   * over the whole batch, whoever computed which block.
   *
   * @throws IllegalArgumentException if {@code from} or {@code to} falls inside a block
   */
  public static void weightPartials(float[] dOut, float[] in, int from, int to, int batch,
      float[] partials, int inC, int h, int w, int outC, int k, int stride, int pad) {
    int blocks = gradientBlocks(batch);
    partials(dOut, in, 0, batch, blockStartingAt(from, batch, blocks),
        blockStartingAt(to, batch, blocks), partials, inC, h, w, outC, k, stride, pad);
  }

  /** The block of images that starts at image {@code image} (blocks when it is the end). */
  private static int blockStartingAt(int image, int batch, int blocks) {
    for (int bl = 0; bl <= blocks; bl++) {
      if (blockStart(bl, batch, blocks) == image) {
        return bl;
      }
    }
    throw new IllegalArgumentException("image " + image + " of a batch of " + batch
        + " is inside a block of the parameter gradient's " + blocks + " blocks: ranges of "
        + "images must start and end where blocks do, as ImageChain cuts them");
  }

  /** The first image of block {@code bl} of a batch's {@code blocks} (the batch at the end). */
  static int blockStart(int bl, int batch, int blocks) {
    return (int) ((long) batch * bl / blocks);
  }

  /**
   * Partial sums of blocks {@code [bl0, bl1)} of a batch of {@code batch} images from image
   * {@code from} of dOut and in, each at its own place in {@code part}; shared by block.
   */
  private static void partials(float[] dOut, float[] in, int from, int batch, int bl0, int bl1,
      float[] part, int inC, int h, int w, int outC, int k, int stride, int pad) {
    int blocks = gradientBlocks(batch);
    if (vectorized(stride)) {
      Job job = JOB.get();
      job.set(Job.PARAMS, dOut, null, 0, 0, null, in, batch, inC, h, w, outC, k, pad,
          Activation.IDENTITY, 0f);
      job.from = from;
      job.bl0 = bl0;
      job.bl1 = bl1;
      job.part = part;
      int images = blockStart(bl1, batch, blocks) - blockStart(bl0, batch, blocks);
      run(job, images, inC, k, outC, outputSize(h, k, stride, pad),
          outputSize(w, k, stride, pad));
      job.clear();
      return;
    }
    int len = blockLength(inC, outC, k, stride);
    for (int bl = bl0; bl < bl1; bl++) {
      plainPartials(dOut, in, from + blockStart(bl, batch, blocks),
          from + blockStart(bl + 1, batch, blocks), part, bl * len, inC, h, w, outC, k, stride,
          pad);
    }
  }

  /**
   * The plain path's partial sums of images {@code [b0, b1)}: dW {@code [outC][inC][k][k]} then
   * db {@code [outC]} at {@code part[at]}, the images added in order.
   */
  private static void plainPartials(float[] dOut, float[] in, int b0, int b1, float[] part,
      int at, int inC, int h, int w, int outC, int k, int stride, int pad) {
    int oh = outputSize(h, k, stride, pad);
    int ow = outputSize(w, k, stride, pad);
    int rows = inC * k * k;
    int cols = oh * ow;
    int wLen = outC * rows;
    boolean direct = isPointwise(k, stride, pad);
    float[] col = direct ? null : buffer(0, rows * cols);
    float[] tmp = b1 - b0 > 1 ? buffer(1, wLen) : null;
    for (int b = b0; b < b1; b++) {
      int inOff = b * inC * h * w;
      float[] src = in;
      int srcOff = inOff;
      if (!direct) {
        im2col(in, inOff, col, inC, h, w, k, stride, pad, oh, ow);
        src = col;
        srcOff = 0;
      }
      // dW_b[o][r] = sum_t dOut[b][o][t] * col[r][t]; images added in order.
      int dOff = b * outC * cols;
      if (b == b0) {
        Gemm.multiplyAbt(outC, rows, cols, dOut, dOff, src, srcOff, part, at, null, 0,
            Activation.IDENTITY, 0f);
      } else {
        Gemm.multiplyAbt(outC, rows, cols, dOut, dOff, src, srcOff, tmp, 0, null, 0,
            Activation.IDENTITY, 0f);
        for (int t = 0; t < wLen; t++) {
          part[at + t] += tmp[t];
        }
      }
    }
    java.util.Arrays.fill(part, at + wLen, at + wLen + outC, 0f);
    for (int b = b0; b < b1; b++) {
      for (int o = 0; o < outC; o++) {
        int row = (b * outC + o) * cols;
        float s = 0f;
        for (int t = row; t < row + cols; t++) {
          s += dOut[t];
        }
        part[at + wLen + o] += s;
      }
    }
  }

  /**
   * The second half of {@link #backwardParams}: overwrites {@code g[wOff..]} = dL/dW and {@code
   * g[bOff..]} = dL/db from the partial sums {@link #weightPartials} wrote for every block of a
   * batch of {@code batch} images, added in block order.
   */
  public static void reducePartials(float[] partials, float[] g, int wOff, int bOff, int batch,
      int inC, int outC, int k, int stride) {
    int blocks = gradientBlocks(batch);
    if (vectorized(stride)) {
      Job job = JOB.get();
      job.set(Job.REDUCE, null, null, wOff, bOff, g, null, batch, inC, 0, 0, outC, k, 0,
          Activation.IDENTITY, 0f);
      job.part = partials;
      if ((long) blocks * blockLength(inC, outC, k, stride) >= PARALLEL_MIN_PARTIALS) {
        TaskTeam.run(job);
      } else {
        job.run(0, 1);
      }
      job.clear();
      return;
    }
    int len = blockLength(inC, outC, k, stride);
    int wLen = len - outC;
    for (int t = 0; t < len; t++) {
      float s = partials[t];
      for (int bl = 1; bl < blocks; bl++) {
        s += partials[bl * len + t];
      }
      g[t < wLen ? wOff + t : bOff + t - wLen] = s;
    }
  }

  /**
   * Overwrites {@code dIn = act'(in) * (transposed convolution of dOut with W)}, the gradient
   * with respect to the previous layer's pre-activation.
   *
   * <p>{@code in} is the layer's input, i.e. the previous layer's output after its activation
   * {@code act}, whose derivative is computed from it ({@link
   * Activation#derivativeFromOutput}); pass IDENTITY for none. Layouts: dOut
   * {@code [batch][outC][oh][ow]}, in and dIn {@code [batch][inC][h][w]}, weight
   * {@code [outC][inC][k][k]} at {@code p[wOff]}.
   */
  public static void backwardInput(float[] dOut, float[] p, int wOff, float[] in, float[] dIn,
      int batch, int inC, int h, int w, int outC, int k, int stride, int pad, Activation act,
      float alpha) {
    backwardInput(dOut, p, wOff, in, dIn, 0, batch, inC, h, w, outC, k, stride, pad, act,
        alpha);
  }

  /**
   * {@link #backwardInput(float[], float[], int, float[], float[], int, int, int, int, int, int,
   * int, int, Activation, float)} on images {@code [from, to)} of the batch only ({@link
   * ImageChain}).
   */
  public static void backwardInput(float[] dOut, float[] p, int wOff, float[] in, float[] dIn,
      int from, int to, int inC, int h, int w, int outC, int k, int stride, int pad,
      Activation act, float alpha) {
    int oh = outputSize(h, k, stride, pad);
    int ow = outputSize(w, k, stride, pad);
    if (vectorized(stride)) {
      Job job = JOB.get();
      job.set(Job.INPUT, dOut, p, wOff, 0, dIn, in, to - from, inC, h, w, outC, k, pad, act,
          alpha);
      job.from = from;
      run(job, to - from, inC, k, outC, oh, ow);
      job.clear();
      return;
    }
    int rows = inC * k * k;
    int cols = oh * ow;
    int imageLen = inC * h * w;
    boolean direct = isPointwise(k, stride, pad);
    float[] dCol = direct ? null : buffer(0, rows * cols);
    for (int b = from; b < to; b++) {
      int inOff = b * imageLen;
      int outOff = b * outC * cols;
      if (direct) {
        Gemm.multiplyAtb(rows, cols, outC, p, wOff, dOut, outOff, dIn, inOff);
      } else {
        Gemm.multiplyAtb(rows, cols, outC, p, wOff, dOut, outOff, dCol, 0);
        java.util.Arrays.fill(dIn, inOff, inOff + imageLen, 0f);
        col2im(dCol, dIn, inOff, inC, h, w, k, stride, pad, oh, ow);
      }
    }
    act.multiplyByDerivative(dIn, from * imageLen, in, from * imageLen, (to - from) * imageLen,
        alpha);
  }

  /**
   * How many blocks of consecutive images the parameter gradient is summed in, each on its own
   * and then added in order: one per {@value #BLOCK_IMAGES} images, at least two (for a batch
   * of two or more) and at most {@value #MAX_BLOCKS}. A rule of the batch alone, so that the
   * bits do not depend on the threads; the blocks are the parts the threads share, so they are
   * what caps this gradient's speedup (64 images: 8 blocks). LeNet-5's step at one thread
   * measured the same with 8 blocks as with the two half batches before (BENCHMARKS.md).
   */
  static int gradientBlocks(int batch) {
    return Math.max(Math.min(batch, 2), Math.min(MAX_BLOCKS, batch / BLOCK_IMAGES));
  }

  /**
   * One call shared between threads. Forward and input-gradient parts are contiguous image
   * ranges (each image's result depends on that image alone); the parameter gradient is always
   * cut into the same blocks of images ({@link #gradientBlocks}), one part each, whichever
   * thread computes them.
   */
  private static final class Job extends TaskTeam.Task {
    static final int FORWARD = 0;
    static final int PARAMS = 1;
    static final int INPUT = 2;
    /** The parameter gradient's partial sums reduced, by ranges of output channels. */
    static final int REDUCE = 3;

    int kind;
    /** Forward: the input; PARAMS and INPUT: dOut. */
    float[] a;
    float[] p;
    int wOff;
    int bOff;
    /** Forward: out; PARAMS: the gradients; INPUT: dIn. */
    float[] c;
    /** PARAMS and INPUT: the layer's input. */
    float[] in;
    int batch;
    /** The first of the batch's images in the arrays ({@code batch} images from it on). */
    int from;
    int inC;
    int h;
    int w;
    int outC;
    int k;
    int pad;
    Activation act;
    float alpha;
    /** PARAMS: the first block of images and one past the last. */
    int bl0;
    int bl1;
    /** Per-lane partial sums of the parameter gradients, one run per block of images. */
    float[] part;

    void set(int kind, float[] a, float[] p, int wOff, int bOff, float[] c, float[] in,
        int batch, int inC, int h, int w, int outC, int k, int pad, Activation act,
        float alpha) {
      this.kind = kind;
      this.a = a;
      this.p = p;
      this.wOff = wOff;
      this.bOff = bOff;
      this.c = c;
      this.in = in;
      this.batch = batch;
      this.from = 0;
      this.inC = inC;
      this.h = h;
      this.w = w;
      this.outC = outC;
      this.k = k;
      this.pad = pad;
      this.act = act;
      this.alpha = alpha;
    }

    /** Drops the references to the caller's arrays. */
    void clear() {
      a = null;
      p = null;
      c = null;
      in = null;
      part = null;
    }

    @Override
    String kind() {
      return kind == PARAMS ? "convolution, parameter gradient"
          : kind == REDUCE ? "convolution, parameter gradient summed"
          : kind == FORWARD ? "convolution, forward" : "convolution, input gradient";
    }

    @Override
    int parts(int threads) {
      // The parameter gradient's blocks are claimed one by one as threads come free; the other
      // kinds split by image.
      return kind == PARAMS ? bl1 - bl0
          : kind == REDUCE ? Math.min(threads, quads()) : Math.min(threads, batch);
    }

    /** Output channels in groups of 4, the rows of the partial sums' tiles. */
    private int quads() {
      return (outC + 3) / 4;
    }

    @Override
    void run(int part, int parts) {
      if (kind == PARAMS) {
        int blocks = gradientBlocks(batch);
        int len = VectorConv.partialLength(inC, outC, k);
        for (int bl = bl0 + part; bl < bl1; bl += parts) {
          VectorConv.weightPartials(a, in, from + blockStart(bl, batch, blocks),
              from + blockStart(bl + 1, batch, blocks), inC, h, w, outC, k, pad, this.part,
              bl * len);
        }
        return;
      }
      if (kind == REDUCE) {
        // Channel groups of 4 keep each part's partials contiguous.
        int o0 = 4 * (quads() * part / parts);
        int o1 = Math.min(outC, 4 * (quads() * (part + 1) / parts));
        VectorConv.reducePartials(this.part, gradientBlocks(batch), c, wOff, bOff, inC, outC, k,
            o0, o1);
        return;
      }
      int b0 = from + (int) ((long) batch * part / parts);
      int b1 = from + (int) ((long) batch * (part + 1) / parts);
      if (b0 >= b1) {
        return;
      }
      if (kind == FORWARD) {
        VectorConv.forward(a, p, wOff, bOff, c, b0, b1, inC, h, w, outC, k, pad, act, alpha);
      } else {
        VectorConv.backwardInput(a, p, wOff, c, b0, b1, inC, h, w, outC, k, pad);
        int imageLen = inC * h * w;
        act.multiplyByDerivative(c, b0 * imageLen, in, b0 * imageLen, (b1 - b0) * imageLen,
            alpha);
      }
    }
  }

  /** Whether the convolution is a plain matrix product over the image (1x1, stride 1, no pad). */
  private static boolean isPointwise(int k, int stride, int pad) {
    return k == 1 && stride == 1 && pad == 0;
  }

  /** Returns work buffer {@code which} of at least {@code len} floats, growing it if needed. */
  private static float[] buffer(int which, int len) {
    float[][] work = WORK.get();
    if (work[which].length < len) {
      work[which] = new float[len];
    }
    return work[which];
  }

  /** First output column x with {@code 0 <= x * stride + j - pad}. */
  private static int firstValid(int j, int stride, int pad) {
    int d = pad - j;
    return d <= 0 ? 0 : (d + stride - 1) / stride;
  }

  /** One past the last output column x with {@code x * stride + j - pad < size}, at most n. */
  private static int endValid(int j, int stride, int pad, int size, int n) {
    int d = size - 1 + pad - j;
    return d < 0 ? 0 : Math.min(n, d / stride + 1);
  }

  /**
   * Unfolds one image: {@code col[(c * k + i) * k + j][y * ow + x] = in[c][y*s+i-pad][x*s+j-pad]}
   * or 0 outside the image.
   */
  private static void im2col(float[] in, int inOff, float[] col, int inC, int h, int w, int k,
      int stride, int pad, int oh, int ow) {
    int cols = oh * ow;
    for (int c = 0; c < inC; c++) {
      for (int i = 0; i < k; i++) {
        int y0 = Math.min(oh, firstValid(i, stride, pad));
        int y1 = Math.max(y0, endValid(i, stride, pad, h, oh));
        for (int j = 0; j < k; j++) {
          int x0 = Math.min(ow, firstValid(j, stride, pad));
          int x1 = Math.max(x0, endValid(j, stride, pad, w, ow));
          int rowOff = ((c * k + i) * k + j) * cols;
          java.util.Arrays.fill(col, rowOff, rowOff + y0 * ow, 0f);
          for (int y = y0; y < y1; y++) {
            int dst = rowOff + y * ow;
            int src = inOff + (c * h + y * stride + i - pad) * w + j - pad;
            java.util.Arrays.fill(col, dst, dst + x0, 0f);
            for (int x = x0; x < x1; x++) {
              col[dst + x] = in[src + x * stride];
            }
            java.util.Arrays.fill(col, dst + x1, dst + ow, 0f);
          }
          java.util.Arrays.fill(col, rowOff + y1 * ow, rowOff + cols, 0f);
        }
      }
    }
  }

  /** Adds the unfolded gradient back onto the image: the transpose of {@link #im2col}. */
  private static void col2im(float[] col, float[] dIn, int inOff, int inC, int h, int w, int k,
      int stride, int pad, int oh, int ow) {
    int cols = oh * ow;
    for (int c = 0; c < inC; c++) {
      for (int i = 0; i < k; i++) {
        int y0 = firstValid(i, stride, pad);
        int y1 = endValid(i, stride, pad, h, oh);
        for (int j = 0; j < k; j++) {
          int x0 = firstValid(j, stride, pad);
          int x1 = endValid(j, stride, pad, w, ow);
          int rowOff = ((c * k + i) * k + j) * cols;
          for (int y = y0; y < y1; y++) {
            int src = rowOff + y * ow;
            int dst = inOff + (c * h + y * stride + i - pad) * w + j - pad;
            for (int x = x0; x < x1; x++) {
              dIn[dst + x * stride] += col[src + x];
            }
          }
        }
      }
    }
  }
}
