package dev.annonet.kernels;

/**
 * One matrix product shared on the kernel team ({@link TaskTeam}): each part computes a block
 * of C, a contiguous range of its columns in multiples of {@link #UNIT} and, where there are
 * more threads than column ranges, of its rows in multiples of {@link #ROW_UNIT}, with the same
 * k slicing and the same row tiles as a single thread, so results are bit-identical for any
 * number of threads.
 *
 * <p>Each calling thread owns one task, reused from product to product, so sharing a product
 * allocates nothing.
 */
final class GemmTask extends TaskTeam.Task {

  /** Columns are handed out in multiples of this, a multiple of every vector kernel's NR. */
  static final int UNIT = 32;

  /** Rows are handed out in multiples of this, a multiple of every vector kernel's MR. */
  static final int ROW_UNIT = 24;

  /**
   * The system property that decides whether a shared product's parts pack each operand once
   * between them ({@code on}, the default) or each their rows of A and columns of B for
   * themselves ({@code off}, as before; for comparisons).
   */
  static final String SHARED_PACKING_PROPERTY = "annonet.kernels.sharedPacking";

  private static final boolean SHARED_PACKING =
      sharedPacking(System.getProperty(SHARED_PACKING_PROPERTY));

  private static final ThreadLocal<GemmTask> OWN = ThreadLocal.withInitial(GemmTask::new);

  private Gemm.Impl impl;
  private int m;
  private int n;
  private int k;
  private float[] a;
  private int aOff;
  private boolean transA;
  private float[] b;
  private int bOff;
  private boolean transB;
  private float[] c;
  private int cOff;
  private boolean transC;
  private int mode;
  private float[] e;
  private int eOff;
  private Activation act;
  private float alpha;
  /** A packed once per row range (vector products over several column ranges), else null. */
  private VectorGemm.SharedPacking sharedA;
  /** B packed once per column range (vector products over several row ranges), else null. */
  private VectorGemm.SharedPacking sharedB;
  private VectorGemm.SharedPacking ownSharedA;
  private VectorGemm.SharedPacking ownSharedB;

  private GemmTask() {}

  /**
   * Runs the product on the kernel team, as {@code VectorGemm.multiply} or {@code
   * PlainGemm.multiply} per {@code impl}; returns false, having done nothing, when there is no
   * team or it is busy (another product, or the convolution this product is part of).
   */
  static boolean tryShare(Gemm.Impl impl, int m, int n, int k, float[] a,
      int aOff, boolean transA, float[] b, int bOff, boolean transB, float[] c, int cOff,
      boolean transC, int mode, float[] e, int eOff, Activation act, float alpha) {
    TaskTeam team = TaskTeam.idle();
    if (team == null) {
      return false;
    }
    GemmTask t = OWN.get();
    t.impl = impl;
    t.m = m;
    t.n = n;
    t.k = k;
    t.a = a;
    t.aOff = aOff;
    t.transA = transA;
    t.b = b;
    t.bOff = bOff;
    t.transB = transB;
    t.c = c;
    t.cOff = cOff;
    t.transC = transC;
    t.mode = mode;
    t.e = e;
    t.eOff = eOff;
    t.act = act;
    t.alpha = alpha;
    try {
      return team.tryRun(t);
    } finally {
      // Drop references to the caller's arrays.
      t.a = null;
      t.b = null;
      t.c = null;
      t.e = null;
    }
  }

  /** Multiply-adds a part should have at least, so waking a worker pays for itself. */
  static final long MIN_PART_WORK = 1 << 19;

  /**
   * The part count for {@code threads}; called once before the parts run, so it also readies
   * the shared packing of each operand where parts would each pack the same slivers: of A
   * where several column ranges share a row range, of B where several row ranges share a
   * column range.
   */
  @Override
  int parts(int threads) {
    int parts = partsFor(m, n, k, threads);
    int columnParts = columnPartsFor(m, n, k, parts);
    int rowParts = parts / columnParts;
    sharedA = null;
    sharedB = null;
    if (sharesA(impl, m, n, k, transA, parts)) {
      if (ownSharedA == null) {
        ownSharedA = VectorGemm.SharedPacking.ofA();
      }
      ownSharedA.prepare(m, k, rowParts, ROW_UNIT);
      sharedA = ownSharedA;
    }
    if (sharesB(impl, m, n, k, transB, parts)) {
      if (ownSharedB == null) {
        ownSharedB = VectorGemm.SharedPacking.ofB();
      }
      ownSharedB.prepare(n, k, columnParts, UNIT);
      sharedB = ownSharedB;
    }
    return parts;
  }

  @Override
  String kind() {
    return "matrix product";
  }

  /** Packs all of each shared operand for the parts. */
  @Override
  void runSharedWork() {
    if (sharedA != null) {
      sharedA.packAll(a, aOff, transA, m, k);
    }
    if (sharedB != null) {
      sharedB.packAll(b, bOff, transB, n, k);
    }
  }

  /**
   * Whether the parts pack A once between them ({@link VectorGemm.SharedPacking}): vector
   * products cut into several column ranges, each of which would otherwise pack the rows of A
   * of its row range.
   */
  static boolean sharesA(Gemm.Impl impl, int m, int n, int k, boolean transA, int parts) {
    return SHARED_PACKING && impl == Gemm.Impl.VECTOR && columnPartsFor(m, n, k, parts) > 1
        && VectorGemm.SharedPacking.appliesToA(m, n, k, transA);
  }

  /**
   * Whether the parts pack B once between them: vector products cut into several row ranges,
   * each of which would otherwise pack the columns of B of its column range.
   */
  static boolean sharesB(Gemm.Impl impl, int m, int n, int k, boolean transB, int parts) {
    return SHARED_PACKING && impl == Gemm.Impl.VECTOR
        && parts / columnPartsFor(m, n, k, parts) > 1
        && VectorGemm.SharedPacking.appliesToB(m, n, k, transB);
  }

  /** {@link #SHARED_PACKING_PROPERTY}'s value: unset or {@code on}, else {@code off}. */
  static boolean sharedPacking(String property) {
    if (property == null || property.isBlank() || property.trim().equals("on")) {
      return true;
    }
    if (property.trim().equals("off")) {
      return false;
    }
    throw new IllegalArgumentException("system property " + SHARED_PACKING_PROPERTY
        + " must be on or off (whether the parts of a shared product pack each operand"
        + " once between them), got '" + property + "'; unset it for on");
  }

  /** Parts for an m x n x k product on {@code threads}: column ranges times row ranges. */
  static int partsFor(int m, int n, int k, int threads) {
    int columns = columnPartsFor(m, n, k, threads);
    return columns * rowPartsFor(m, n, k, threads, columns);
  }

  /** Column ranges: whole column units, enough work each, at most one per thread. */
  static int columnPartsFor(int m, int n, int k, int threads) {
    long byWork = (long) m * n * k / MIN_PART_WORK;
    return (int) Math.max(1, Math.min(threads, Math.min((n + UNIT - 1) / UNIT, byWork)));
  }

  /**
   * Row ranges per column range: where the columns run out before the threads (W3's 256 columns
   * are 8 units, a GPT's 128 are 4), the rows are cut too, in whole row units, as long as each
   * part keeps enough work. The row ranges of a column range share the packing of its
   * columns of B where they can ({@link #sharesB}); rows are cut only for threads that would
   * otherwise idle.
   */
  static int rowPartsFor(int m, int n, int k, int threads, int columns) {
    if (columns >= threads) {
      return 1;
    }
    long byWork = (long) m * n * k / MIN_PART_WORK / columns;
    int rowUnits = (m + ROW_UNIT - 1) / ROW_UNIT;
    return (int) Math.max(1, Math.min(threads / columns, Math.min(rowUnits, byWork)));
  }

  /**
   * Where range {@code r} of {@code ranges} starts when {@code extent} rows or columns are cut
   * into ranges of whole {@code unit}s ({@code r = ranges}: the end, {@code extent}).
   */
  static int rangeStart(int extent, int unit, int r, int ranges) {
    int units = (extent + unit - 1) / unit;
    return Math.min(extent, (int) ((long) units * r / ranges) * unit);
  }

  @Override
  void run(int part, int parts) {
    // parts >= the column ranges, which are capped by the units and the work alone once they
    // fall short of the threads: so the part count gives them back.
    int columnParts = columnPartsFor(m, n, k, parts);
    int rowParts = parts / columnParts;
    int column = part % columnParts;
    int row = part / columnParts;
    int j0 = rangeStart(n, UNIT, column, columnParts);
    int j1 = rangeStart(n, UNIT, column + 1, columnParts);
    int i0 = rangeStart(m, ROW_UNIT, row, rowParts);
    int i1 = rangeStart(m, ROW_UNIT, row + 1, rowParts);
    if (j0 >= j1 || i0 >= i1) {
      return;
    }
    if (impl == Gemm.Impl.VECTOR) {
      VectorGemm.multiply(m, n, k, a, aOff, transA, b, bOff, transB, c, cOff, transC, mode, e,
          eOff, act, alpha, i0, i1, j0, j1, true, sharedA, sharedB);
    } else {
      PlainGemm.multiply(m, n, k, a, aOff, transA, b, bOff, transB, c, cOff, transC, mode, e,
          eOff, act, alpha, i0, i1, j0, j1);
    }
  }
}
