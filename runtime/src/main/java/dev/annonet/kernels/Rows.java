package dev.annonet.kernels;

/**
 * Gathers the rows of a minibatch, shared with the kernel threads ({@link Kernels#setThreads})
 * when the batch is large.
 *
 * <p>A training step starts by copying its shuffled rows into one contiguous buffer (W3's 128
 * rows of 784 floats take about 60 microseconds). Alone on the caller, that is time the other
 * threads wait, and the first layer's product then reads every row from the caller's cache; cut
 * by rows, each thread copies part of the batch and keeps it in its own cache. A copy gives the
 * same bits however it is split.
 */
public final class Rows {

  /**
   * Floats below which a gather stays on the caller. Rows shuffled out of a data set larger than
   * the cache miss it on every line: LeNet-5's 64 rows of 784 (50k floats) took 51-53 us of a
   * 2-thread step on the caller alone and 30-35 us split in two from 32k floats on (Intel Xeon,
   * AVX-512); 64k floats of rows in cache copy in about 10 us.
   */
  private static final int PARALLEL_MIN_FLOATS = 1 << 15;

  private static final ThreadLocal<Gather> GATHER = ThreadLocal.withInitial(Gather::new);

  private Rows() {}

  /**
   * Copies rows {@code order[from], ..., order[from + count - 1]} of {@code src} (rows of
   * {@code rowLen} floats from index 0) contiguously into {@code dst} from index 0.
   */
  public static void gather(float[] src, int rowLen, int[] order, int from, int count,
      float[] dst) {
    if (count >= 2 && (long) count * rowLen >= PARALLEL_MIN_FLOATS) {
      Gather g = GATHER.get();
      g.src = src;
      g.rowLen = rowLen;
      g.order = order;
      g.from = from;
      g.count = count;
      g.dst = dst;
      try {
        TaskTeam.run(g);
      } finally {
        // Drop the references to the caller's arrays.
        g.src = null;
        g.order = null;
        g.dst = null;
      }
    } else {
      copy(src, rowLen, order, from, 0, count, dst);
    }
  }

  private static void copy(float[] src, int rowLen, int[] order, int from, int k0, int k1,
      float[] dst) {
    for (int k = k0; k < k1; k++) {
      System.arraycopy(src, order[from + k] * rowLen, dst, k * rowLen, rowLen);
    }
  }

  /** One gather shared between threads: contiguous ranges of the batch's rows. */
  private static final class Gather extends TaskTeam.Task {
    float[] src;
    int rowLen;
    int[] order;
    int from;
    int count;
    float[] dst;

    @Override
    String kind() {
      return "batch rows gathered";
    }

    @Override
    int parts(int threads) {
      return (int) Math.min(threads,
          Math.min(count, (long) count * rowLen / (PARALLEL_MIN_FLOATS / 2)));
    }

    @Override
    void run(int part, int parts) {
      int k0 = (int) ((long) count * part / parts);
      int k1 = (int) ((long) count * (part + 1) / parts);
      copy(src, rowLen, order, from, k0, k1, dst);
    }
  }
}
