package dev.annonet.kernels;

/**
 * A product of few columns computed as dot products ({@link VectorGemm#dots}) shared with the
 * kernel threads by ranges of rows: every entry is its own sum, so any split gives the bits of
 * one thread. Used only on the Vector API path.
 *
 * <p>Each calling thread owns one task, reused from call to call, so sharing allocates nothing.
 */
final class DotsTask extends TaskTeam.Task {

  /** Multiply-adds a part should have at least, so that waking a worker pays. */
  static final long MIN_PART = 1 << 19;

  /** Rows are handed out in multiples of this, the row tile of {@link VectorGemm#dots}. */
  static final int UNIT = 4;

  private static final ThreadLocal<DotsTask> OWN = ThreadLocal.withInitial(DotsTask::new);

  private int m;
  private int n;
  private int k;
  private float[] a;
  private int aOff;
  private float[] b;
  private int bOff;
  private float[] c;
  private int cOff;
  private int mode;
  private float[] e;
  private int eOff;
  private Activation act;
  private float alpha;

  private DotsTask() {}

  /**
   * Runs the product on the kernel team; returns false, having done nothing, when it is too
   * small to share, there is no team or it is busy. Arguments as {@link VectorGemm#dots}.
   */
  static boolean tryShare(int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, int mode, float[] e, int eOff, Activation act, float alpha) {
    if (m < 2 * UNIT || (long) m * n * k < 2 * MIN_PART) {
      return false;
    }
    TaskTeam team = TaskTeam.idle();
    if (team == null) {
      return false;
    }
    DotsTask t = OWN.get();
    t.m = m;
    t.n = n;
    t.k = k;
    t.a = a;
    t.aOff = aOff;
    t.b = b;
    t.bOff = bOff;
    t.c = c;
    t.cOff = cOff;
    t.mode = mode;
    t.e = e;
    t.eOff = eOff;
    t.act = act;
    t.alpha = alpha;
    try {
      return team.tryRun(t);
    } finally {
      t.a = null;
      t.b = null;
      t.c = null;
      t.e = null;
    }
  }

  @Override
  int parts(int threads) {
    long byWork = (long) m * n * k / MIN_PART;
    return (int) Math.max(1, Math.min(threads, Math.min(m / UNIT, byWork)));
  }

  @Override
  String kind() {
    return "dot products";
  }

  @Override
  void run(int part, int parts) {
    int units = (m + UNIT - 1) / UNIT;
    int i0 = Math.min(m, (int) ((long) units * part / parts) * UNIT);
    int i1 = Math.min(m, (int) ((long) units * (part + 1) / parts) * UNIT);
    if (i0 < i1) {
      VectorGemm.dots(i1 - i0, n, k, a, aOff + i0 * k, b, bOff, c, cOff + i0 * n, mode, e,
          mode == Gemm.DERIV ? eOff + i0 * n : eOff, act, alpha);
    }
  }
}
