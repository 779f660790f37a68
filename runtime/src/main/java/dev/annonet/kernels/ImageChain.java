package dev.annonet.kernels;

/**
 * Runs the layers at the front of a network that treat each image on its own (convolutions and
 * poolings) as one task shared between the kernel threads by whole images, instead of one
 * shared task per layer: each thread takes its images through every layer of the pass, so the
 * threads meet once per pass rather than once per layer, and each core's images stay in its
 * own cache from layer to layer. Generated models use it for their leading convolutions and
 * poolings, forward and backward; the dense layers after them are shared layer by layer.
 *
 * <p>The ranges are whole blocks of the convolutions' parameter gradients ({@link
 * Conv2d#gradientBlocks}): a pass writes each block's partial sums with {@link
 * Conv2d#weightPartials}, and they are added in block order with {@link Conv2d#reducePartials}:
 * by the caller once a split pass is done ({@link #run} returns true), or by a pass run whole
 * right after writing them, while they are in cache. Every image's values depend on that image alone
 * and every block's sums on its images alone, so the bits are those of the layers called one by
 * one on the whole batch, at any number of threads.
 *
 * <p>Kernels called inside a part find the team busy and run on their thread alone ({@link
 * TaskTeam}). A pass too small to share, or called while the team is busy, runs whole on the
 * caller, and then its kernels share their own work as they would outside a chain. Nothing is
 * allocated per call.
 */
public final class ImageChain {

  /** Multiply-adds of a whole pass below which it runs on the caller's thread. */
  private static final long PARALLEL_MIN_WORK = 1 << 17;

  /** Per-thread job describing the pass being shared, reused from call to call. */
  private static final ThreadLocal<Job> JOB = ThreadLocal.withInitial(Job::new);

  private ImageChain() {}

  /** The layers of one pass over a range of images. */
  @FunctionalInterface
  public interface Pass {
    /**
     * Runs the pass on images {@code [from, to)} of a batch of {@code batch} images whose input
     * is {@code x}, reading and writing only those images' values and the parameter gradients'
     * partial sums of their blocks (and, when the range is the whole batch, the gradients).
     */
    void run(float[] x, int from, int to, int batch);
  }

  /**
   * Runs {@code pass} over the {@code batch} images of {@code x}, split between the kernel
   * threads ({@link Kernels#setThreads}) into ranges of whole parameter-gradient blocks when the
   * pass does at least a few hundred thousand multiply-adds ({@code multiplyAdds} per image).
   * Returns whether it split the pass; if not, the pass ran once, on images {@code [0, batch)}
   * (a pass can then add up its partial sums itself while they are in cache).
   */
  public static boolean run(Pass pass, float[] x, int batch, long multiplyAdds) {
    TaskTeam team = batch < 2 || batch * multiplyAdds < PARALLEL_MIN_WORK ? null
        : TaskTeam.idle();
    if (team != null) {
      Job job = JOB.get();
      job.pass = pass;
      job.x = x;
      job.batch = batch;
      try {
        if (team.tryRun(job)) {
          return true;
        }
      } finally {
        job.pass = null;
        job.x = null;
      }
    }
    pass.run(x, 0, batch, batch);
    return false;
  }

  /** One pass shared between threads: part {@code i} of {@code n} is a run of whole blocks. */
  private static final class Job extends TaskTeam.Task {
    Pass pass;
    float[] x;
    int batch;

    @Override
    int parts(int threads) {
      return Math.min(threads, Conv2d.gradientBlocks(batch));
    }

    @Override
    String kind() {
      return "convolutions and poolings, by image";
    }

    @Override
    void run(int part, int parts) {
      int blocks = Conv2d.gradientBlocks(batch);
      int from = Conv2d.blockStart(blocks * part / parts, batch, blocks);
      int to = Conv2d.blockStart(blocks * (part + 1) / parts, batch, blocks);
      pass.run(x, from, to, batch);
    }
  }
}
