package dev.annonet.kernels;

/**
 * A bias gradient ({@link Gemm#sumColumns}) over many rows shared with the kernel threads by
 * ranges of whole 64-column units: each column's rows are added in order whichever thread
 * adds them, so any split gives the bits of one thread. The small GPT's (W6) bias gradients sum
 * 2,048 rows of up to 512 columns, a pass over 4 MB each that ran on one core before.
 *
 * <p>Each calling thread owns one task, reused from call to call, so sharing allocates nothing.
 */
final class ColumnSumTask extends TaskTeam.Task {

  /** Values ({@code m * n}) a part should have at least, so that waking a worker pays. */
  static final int MIN_PART = 1 << 15;

  /** Columns are handed out in multiples of this (a multiple of every vector width). */
  static final int UNIT = 64;

  private static final ThreadLocal<ColumnSumTask> OWN =
      ThreadLocal.withInitial(ColumnSumTask::new);

  private int m;
  private int n;
  private float[] a;
  private int aOff;
  private float[] out;
  private int outOff;

  private ColumnSumTask() {}

  /**
   * Sums the columns on the kernel team; returns false, having done nothing, when the matrix is
   * too small to share, there is no team or it is busy.
   */
  static boolean tryShare(int m, int n, float[] a, int aOff, float[] out, int outOff) {
    if (n < 2 * UNIT || (long) m * n < 2L * MIN_PART) {
      return false;
    }
    TaskTeam team = TaskTeam.idle();
    if (team == null) {
      return false;
    }
    ColumnSumTask t = OWN.get();
    t.m = m;
    t.n = n;
    t.a = a;
    t.aOff = aOff;
    t.out = out;
    t.outOff = outOff;
    try {
      return team.tryRun(t);
    } finally {
      t.a = null;
      t.out = null;
    }
  }

  @Override
  int parts(int threads) {
    long byWork = (long) m * n / MIN_PART;
    return (int) Math.max(1, Math.min(threads, Math.min(n / UNIT, byWork)));
  }

  @Override
  String kind() {
    return "bias gradient";
  }

  @Override
  void run(int part, int parts) {
    int units = (n + UNIT - 1) / UNIT;
    int j0 = Math.min(n, (int) ((long) units * part / parts) * UNIT);
    int j1 = Math.min(n, (int) ((long) units * (part + 1) / parts) * UNIT);
    if (j0 < j1) {
      Gemm.sumColumnRange(m, n, a, aOff, out, outOff, j0, j1);
    }
  }
}
