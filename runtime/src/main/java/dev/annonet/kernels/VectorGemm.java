package dev.annonet.kernels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packed, register-blocked matrix products written with the JDK Vector API; see {@link Gemm}.
 *
 * <p>Loaded only when {@link Kernels#vectorModulePresent()} is true, since it links against the
 * incubator module. The structure is Goto's: C is cut into {@code NC}-column and {@code MC}-row
 * blocks and k into {@code KC} slices; each {@code KC x NC} slice of B is packed into
 * {@code NR}-column slivers and each {@code MC x KC} slice of A into {@code MR}-row slivers, so
 * that the micro-kernel streams both operands contiguously whatever the original layout
 * (transposes cost nothing beyond the packing). The micro-kernel keeps an {@code MR x NR} tile
 * of C in registers (8 rows x 2 vectors with 512-bit vectors, 6 x 2 with narrower ones, so that
 * nothing spills; 2 x 4 with narrower ones from Java 25 on, see {@link #wideTile}) and does one
 * fma per register per k, then
 * writes full tiles straight to C and edge tiles through a small buffer. Bias, activation and
 * activation derivative are applied when the last k slice of a tile is written.
 *
 * <p>Products of at most {@link #DIRECT_MAX_WORK} multiply-adds skip the packing of an operand
 * whose stored layout already holds a sliver's values for one k side by side (A stored
 * {@code [k][m]}, as dOut in a weight gradient; B stored {@code [k][n]}, as the input in a
 * weight gradient or the weight in an input gradient): the micro-kernel reads it in place, with
 * the row length as its step, in its own copy of the 6- or 8-row kernel; packing moves values
 * without changing a sum, so the bits are those of the packed path. W1's 64 x 64 x 32 weight
 * gradient went from 65 to 164 GFLOP/s with 512-bit vectors (Zen 5), its step from 17.7 to
 * 12.5 us; with 256-bit vectors (Zen 3, `StepProfile W1,W2 1`) W1 41-45 to 30-32 us, W2
 * 113-117 to 92-93 us.
 */
final class VectorGemm {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /**
   * Whether {@link #dots} runs here: with 8-lane vectors, one lane per partial sum of the plain
   * loop. Other widths keep those products on the packed kernels (and one column on the plain
   * loop): a second float species beside the preferred one left other kernels' Vector API code
   * boxing (see {@link VectorGelu}), and 16 lanes cannot hold the plain loop's eight sums.
   */
  static final boolean DOTS = L == 8;

  /** The system property that picks the micro-tile below 512 bits: {@code 6x16} or {@code 2x32}. */
  static final String TILE_PROPERTY = "annonet.kernels.tile";

  /** Whether vectors below 512 bits use the wide 2-row tile; see {@link #wideTile}. */
  static final boolean WIDE = L < 16
      && wideTile(Runtime.version().feature(), System.getProperty(TILE_PROPERTY));
  /** Rows per micro-tile: as many as the accumulators the vector registers can hold. */
  static final int MR = L >= 16 ? 8 : WIDE ? 2 : 6;
  static final int NR = WIDE ? 4 * L : 2 * L;
  private static final int KC = 256;
  private static final int MC = 96;
  private static final int NC = 1024;
  /** Multiply-adds up to which operands are read in place rather than packed. */
  static final long DIRECT_MAX_WORK = 1 << 20;

  /**
   * Whether {@link #packA} packs A stored {@code [m][k]} two 8-row slivers at a time, 16 rows
   * transposed in registers ({@link #transpose16}): with 16 lanes and 8-row slivers.
   */
  static final boolean PACK_A_PAIRS = L == 16 && MR == 8;

  private VectorGemm() {}

  /**
   * Whether the micro-tile below 512 bits is 2 rows x 4 vectors rather than 6 rows x 2 vectors:
   * by default on Java 25 and later. The 6 x 16 tile broadcasts one A value per two FMAs; Java
   * 17 broadcasts straight from memory, Java 25 through a register, and on Zen 3 (AVX2) that
   * shuffle competes with the FMAs: the 6 x 16 tile alone ran at 81-88 GFLOP/s on Java 17 and
   * 39-43 on Java 25, the 2 x 32 tile (one broadcast per four FMAs) at 36 and 78-81
   * (BENCHMARKS.md). {@code property} ({@value #TILE_PROPERTY}), when set, decides instead.
   */
  static boolean wideTile(int javaFeature, String property) {
    if (property == null || property.isBlank()) {
      return javaFeature >= 25;
    }
    switch (property.trim()) {
      case "2x32":
        return true;
      case "6x16":
        return false;
      default:
        throw new IllegalArgumentException("system property " + TILE_PROPERTY + " must be 6x16"
            + " or 2x32 (the micro-tile for vectors below 512 bits), got '" + property
            + "'; unset it for the default of this Java version");
    }
  }

  /** Per-thread packing buffers, sized for the blocking parameters once and then reused. */
  private static final class Workspace {
    final float[] packA = new float[MC * KC];
    final float[] packB = new float[KC * (NC + NR)];
    final float[] tile = new float[MR * NR];
  }

  private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

  /**
   * One operand of a product, packed once for the parts that share it. A part of a shared
   * product computes a block of C (a range of rows times a range of columns, {@link GemmTask})
   * and needs A's slivers for its rows and B's for its columns: parts in the same row range need
   * the same A (the column ranges each packed all of it: W3's 784-input layer about 55 us per
   * part on Zen 3, as much again as its compute on 8 threads), parts in the same column range
   * the same B (the row ranges of a product cut by rows too). So each operand's slivers fall
   * into groups, one per row range of A or per column range of B, and the parts of a group pack
   * that group's slivers of each k slice between them, taking the next unclaimed one until none
   * is left, and then wait for the slivers other parts of the group are still packing. A part
   * waits only for a part that is packing (a claim is never held while waiting), so the wait
   * ends however the parts are spread over threads, and if that part stalls (its thread
   * descheduled) the waiting part packs what it needs of the slice for itself. Packing moves
   * values only, so the bits are unchanged.
   *
   * <p>The caller's {@link GemmTask} owns one per operand, grown to the largest it shared and
   * reused.
   */
  static final class SharedPacking {

    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(int[].class);
    /** Each group's two counters per k slice sit on their own 64-byte line. */
    private static final int STRIDE = 16;
    /**
     * How long a part waits for a sliver another part claimed (about 20 slivers' packing)
     * before it packs what it needs of the slice for itself.
     */
    static final long WAIT_NANOS = 20_000;
    /** The largest operand packed for sharing; larger ones are packed per part, as before. */
    static final int MAX_VALUES = 1 << 22;

    /** Slivers of A a part claims at once: two where {@link #packA} packs them in pairs. */
    static final int A_SLIVERS_PER_CLAIM = PACK_A_PAIRS ? 2 : 1;

    /** Whether this packs A (MR-row slivers), else B (NR-column slivers). */
    private final boolean ofA;
    /** Values per k in a sliver: MR for A, NR for B. */
    private final int width;
    /** Slivers per claim: {@link #A_SLIVERS_PER_CLAIM} for A, one for B. */
    private final int perClaim;
    float[] packed = new float[0];
    /** Per k slice and group: the next claim, then the claims packed. */
    private int[] counts = new int[0];
    /** Group g's slivers are {@code [bounds[g], bounds[g + 1])}. */
    private int[] bounds = new int[0];
    private int groups;
    private int slivers;
    private int kcMax;

    private SharedPacking(boolean ofA) {
      this.ofA = ofA;
      this.width = ofA ? MR : NR;
      this.perClaim = ofA ? A_SLIVERS_PER_CLAIM : 1;
    }

    /** A shared packing of A, in MR-row slivers grouped by the parts' row ranges. */
    static SharedPacking ofA() {
      return new SharedPacking(true);
    }

    /** A shared packing of B, in NR-column slivers grouped by the parts' column ranges. */
    static SharedPacking ofB() {
      return new SharedPacking(false);
    }

    /**
     * Whether an m x n x k product's A can be shared: it is packed (not read in place) and not
     * larger than {@link #MAX_VALUES}.
     */
    static boolean appliesToA(int m, int n, int k, boolean transA) {
      boolean inPlace = transA && readsInPlace(m, n, k);
      return !inPlace && k > 0 && (long) roundUp(m, MR) * k <= MAX_VALUES;
    }

    /** As {@link #appliesToA} for B, which is read in place when small and stored [k][n]. */
    static boolean appliesToB(int m, int n, int k, boolean transB) {
      boolean inPlace = !transB && readsInPlace(m, n, k);
      return !inPlace && k > 0 && (long) roundUp(n, NR) * k <= MAX_VALUES;
    }

    /**
     * Readies this for an operand of {@code extent} rows (A) or columns (B) and depth k, whose
     * parts cut the extent into {@code groups} ranges of whole {@code unit}s as {@link
     * GemmTask#rangeStart} does: every sliver unclaimed. Called before the parts run.
     */
    void prepare(int extent, int k, int groups, int unit) {
      this.groups = groups;
      slivers = ceilDiv(extent, width);
      kcMax = sliceLength(k);
      int slices = ceilDiv(k, kcMax);
      if (bounds.length < groups + 1) {
        bounds = new int[groups + 1];
      }
      for (int g = 0; g <= groups; g++) {
        bounds[g] = ceilDiv(GemmTask.rangeStart(extent, unit, g, groups), width);
      }
      if (packed.length < slivers * width * k) {
        packed = new float[slivers * width * k];
      }
      if (counts.length < slices * groups * STRIDE) {
        counts = new int[slices * groups * STRIDE];
      } else {
        java.util.Arrays.fill(counts, 0, slices * groups * STRIDE, 0);
      }
    }

    /**
     * Where the k slice starting at pc begins: the slices before it, every sliver padded; the
     * sliver of rows (A) or columns (B) from {@code i} lies at {@code sliceOffset(pc) + i * kc}.
     */
    int sliceOffset(int pc) {
      return pc * slivers * width;
    }

    /**
     * For the part whose rows (A) or columns (B) start at {@code start}: packs unclaimed
     * slivers of its group ({@link #perClaim} at a time) in the k slice {@code [pc, pc + kc)} until none is left, then waits
     * until the slivers other parts claimed are packed, and returns true: the slice is ready to
     * read. Returns at once for a slice that is ready. A part that claimed a sliver and is not
     * done after {@link #WAIT_NANOS} is taken to be descheduled: rather than wait for it, this
     * returns false and the caller packs this slice of the operand for itself, as unshared parts
     * do (it must not write here: a sliver's packing passes through values that are not yet its
     * own, which a part reading the slice would see).
     */
    boolean packSlice(float[] x, int xOff, boolean trans, int extent, int k, int pc, int kc,
        int start) {
      int g = group(start);
      int claims = counter(pc, g);
      int done = claims + 1;
      int first = bounds[g];
      int end = bounds[g + 1];
      int size = ceilDiv(end - first, perClaim);
      if ((int) COUNT.getAcquire(counts, done) == size) {
        return true;
      }
      int base = sliceOffset(pc);
      int s;
      while ((s = (int) COUNT.getAndAdd(counts, claims, 1)) < size) {
        try {
          int sliver = first + s * perClaim;
          int i = sliver * width;
          if (ofA) {
            int rows = Math.min(Math.min(perClaim, end - sliver) * MR, extent - i);
            packA(x, xOff, trans, extent, k, i, rows, pc, kc, packed, base + i * kc);
          } else {
            packB(x, xOff, trans, extent, k, pc, kc, i, Math.min(NR, extent - i), packed,
                base + i * kc);
          }
        } finally {
          // Counted even if packing failed, so no part waits forever; the failure reaches the
          // caller through the team.
          COUNT.getAndAdd(counts, done, 1);
        }
      }
      long giveUp = System.nanoTime() + WAIT_NANOS;
      while ((int) COUNT.getAcquire(counts, done) < size) {
        if (System.nanoTime() - giveUp > 0) {
          return false;
        }
        Thread.onSpinWait();
      }
      return true;
    }

    /** Packs every group's every k slice (nothing else running on it: one thread packs all). */
    void packAll(float[] x, int xOff, boolean trans, int extent, int k) {
      for (int pc = 0; pc < k; pc += kcMax) {
        for (int g = 0; g < groups; g++) {
          packSlice(x, xOff, trans, extent, k, pc, Math.min(kcMax, k - pc), bounds[g] * width);
        }
      }
    }

    /**
     * Claims the next {@link #perClaim} slivers of the k slice at pc in the group of the part
     * starting at {@code start}; returns the claim's index in the group, the group's number of
     * claims or more when none is left.
     */
    int claim(int pc, int start) {
      return (int) COUNT.getAndAdd(counts, counter(pc, group(start)), 1);
    }

    /** The group whose slivers begin at or before {@code start}'s and end after it. */
    private int group(int start) {
      int s = start / width;
      int g = 0;
      while (g + 1 < groups && bounds[g + 1] <= s) {
        g++;
      }
      return g;
    }

    private int counter(int pc, int group) {
      return (pc / kcMax * groups + group) * STRIDE;
    }
  }

  /**
   * {@code C = epilogue(op(A) * op(B))} with {@code op(A)} {@code [m][k]} and {@code op(B)}
   * {@code [k][n]}. {@code transA}: A is stored {@code [k][m]}; {@code transB}: B is stored
   * {@code [n][k]}. C is {@code [m][n]} at cOff, or stored transposed {@code [n][m]} if
   * {@code transC} (then the bias is indexed by row, and Y is laid out like the stored C).
   * Only rows {@code [i0, i1)} and columns {@code [j0, j1)} of C are computed, so threads can
   * share a product; {@code i0} must be a multiple of {@link GemmTask#ROW_UNIT}, so that the
   * row tiles fall where they fall for the whole product (the same bits).
   */
  static void multiply(int m, int n, int k, float[] a, int aOff, boolean transA, float[] b,
      int bOff, boolean transB, float[] c, int cOff, boolean transC, int mode, float[] e,
      int eOff, Activation act, float alpha, int i0, int i1, int j0, int j1) {
    multiply(m, n, k, a, aOff, transA, b, bOff, transB, c, cOff, transC, mode, e, eOff, act,
        alpha, i0, i1, j0, j1, true, null, null);
  }

  /**
   * As above; {@code inPlace} false packs every operand, which computes the same bits (the
   * tests compare both). {@code sharedA} and {@code sharedB}, when not null, hold A and B packed
   * once for the parts of a shared product ({@link SharedPacking#prepare} for this product, the
   * operand not read in place); the part packs its share of its rows of A and its columns of B
   * and reads the rest as other parts packed it.
   */
  static void multiply(int m, int n, int k, float[] a, int aOff, boolean transA, float[] b,
      int bOff, boolean transB, float[] c, int cOff, boolean transC, int mode, float[] e,
      int eOff, Activation act, float alpha, int i0, int i1, int j0, int j1, boolean inPlace,
      SharedPacking sharedA, SharedPacking sharedB) {
    if (k == 0) {
      // No product terms: only the epilogue of zero sums remains.
      PlainGemm.epilogueOfZero(m, n, c, cOff, transC, mode, e, eOff, act, alpha);
      return;
    }
    Workspace ws = WORKSPACE.get();
    int kcMax = sliceLength(k);
    int mcMax = roundUp(ceilDiv(m, ceilDiv(m, MC)), MR);
    // Small products read an operand in place where its layout already has a sliver's values
    // for one k side by side: A stored [k][m] (MR rows of one k), B stored [k][n] (NR columns
    // of one k). Packing them would cost as much as the product; only edge slivers, which the
    // micro-kernel would read past, are still packed.
    boolean small = inPlace && readsInPlace(m, n, k);
    boolean directA = small && transA;
    boolean directB = small && !transB;
    assert sharedA == null || !directA;
    assert sharedB == null || !directB;
    for (int jc = j0; jc < j1; jc += NC) {
      int nc = Math.min(NC, j1 - jc);
      for (int pc = 0; pc < k; pc += kcMax) {
        int kc = Math.min(kcMax, k - pc);
        boolean first = pc == 0;
        boolean last = pc + kc == k;
        // Operands from the shared packing when this slice of it is ready, else packed here.
        boolean shared = sharedA != null
            && sharedA.packSlice(a, aOff, transA, m, k, pc, kc, i0);
        boolean sharedSliceB = sharedB != null
            && sharedB.packSlice(b, bOff, transB, n, k, pc, kc, j0);
        if (sharedSliceB) {
          // Packed already, this k slice's columns one after another.
        } else if (!directB) {
          packB(b, bOff, transB, n, k, pc, kc, jc, nc, ws.packB, 0);
        } else if (nc % NR != 0) {
          int edge = nc - nc % NR;
          packB(b, bOff, transB, n, k, pc, kc, jc + edge, nc - edge, ws.packB, 0);
        }
        for (int ic = i0; ic < i1; ic += mcMax) {
          int mc = Math.min(mcMax, i1 - ic);
          if (shared) {
            // Packed already, this k slice's rows one after another.
          } else if (!directA) {
            packA(a, aOff, transA, m, k, ic, mc, pc, kc, ws.packA, 0);
          } else if (mc % MR != 0) {
            int edge = mc - mc % MR;
            packA(a, aOff, transA, m, k, ic + edge, mc - edge, pc, kc, ws.packA, 0);
          }
          for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            // Where the micro-kernel reads this sliver of B: in place or packed.
            float[] pb = ws.packB;
            int bo = jr * kc;
            int bStep = NR;
            if (sharedSliceB) {
              pb = sharedB.packed;
              bo = sharedB.sliceOffset(pc) + (jc + jr) * kc;
            } else if (directB && nr == NR) {
              pb = b;
              bo = bOff + pc * n + jc + jr;
              bStep = n;
            } else if (directB) {
              bo = 0;
            }
            for (int ir = 0; ir < mc; ir += MR) {
              int mr = Math.min(MR, mc - ir);
              float[] pa = ws.packA;
              int ao = ir * kc;
              int aStep = MR;
              if (shared) {
                pa = sharedA.packed;
                ao = sharedA.sliceOffset(pc) + (ic + ir) * kc;
              } else if (directA && mr == MR) {
                pa = a;
                ao = aOff + pc * m + ic + ir;
                aStep = m;
              } else if (directA) {
                ao = 0;
              }
              int row = ic + ir;
              int col = jc + jr;
              int eo = mode == Gemm.BIAS_ACT ? eOff + (transC ? row : col)
                  : eOff + (transC ? col * m + row : row * n + col);
              if (!transC && mr == MR && nr == NR) {
                // Full tiles go straight from registers to C; the epilogue then runs in place.
                int co = cOff + row * n + col;
                tile(kc, pa, ao, aStep, pb, bo, bStep, c, co, n, !first);
                if (last && mode != Gemm.STORE) {
                  epilogueFull(c, co, n, mode, e, eo, act, alpha);
                }
              } else {
                edgeTile(mr, kc, pa, ao, aStep, pb, bo, bStep, ws.tile);
                if (transC) {
                  storeTransposed(ws.tile, mr, nr, c, cOff + col * m + row, m, first, last, mode,
                      e, eo, act, alpha);
                } else {
                  storePartial(ws.tile, mr, nr, c, cOff + row * n + col, n, first, last, mode, e,
                      eo, act, alpha);
                }
              }
            }
          }
        }
      }
    }
  }

  /**
   * Adds each of the m rows of A {@code [m][n]} at aOff, in order, to out {@code [n]}, columns
   * {@code [j0, j1)} only; a column's sum is the same whether a vector or the scalar tail adds
   * it.
   */
  static void addRows(int m, int n, float[] a, int aOff, float[] out, int outOff, int j0,
      int j1) {
    int j = j0;
    for (; j + L <= j1; j += L) {
      FloatVector s = FloatVector.fromArray(S, out, outOff + j);
      for (int i = 0; i < m; i++) {
        s = s.add(FloatVector.fromArray(S, a, aOff + i * n + j));
      }
      s.intoArray(out, outOff + j);
    }
    for (; j < j1; j++) {
      float s = out[outOff + j];
      for (int i = 0; i < m; i++) {
        s += a[aOff + i * n + j];
      }
      out[outOff + j] = s;
    }
  }

  /**
   * {@link PlainGemm#dots} on vectors, with its bits: lane j of an 8-lane accumulator holds that
   * loop's partial sum j, and the lanes are added as it adds its sums. Tiles of 4 rows of A by 2
   * rows of B (eight accumulators, six loads per eight multiply-adds). Only where {@link #DOTS}.
   */
  static void dots(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c,
      int cOff, int mode, float[] e, int eOff, Activation act, float alpha) {
    assert DOTS : "dots needs 8-lane vectors";
    float[] lanes = WORKSPACE.get().tile;
    int kv = k - k % 8;
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      int a0 = aOff + i * k;
      int j = 0;
      for (; j + 2 <= n; j += 2) {
        int b0 = bOff + j * k;
        FloatVector s00 = FloatVector.zero(S);
        FloatVector s01 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        for (int p = 0; p < kv; p += 8) {
          FloatVector x0 = FloatVector.fromArray(S, b, b0 + p);
          FloatVector x1 = FloatVector.fromArray(S, b, b0 + k + p);
          FloatVector av = FloatVector.fromArray(S, a, a0 + p);
          s00 = av.fma(x0, s00);
          s01 = av.fma(x1, s01);
          av = FloatVector.fromArray(S, a, a0 + k + p);
          s10 = av.fma(x0, s10);
          s11 = av.fma(x1, s11);
          av = FloatVector.fromArray(S, a, a0 + 2 * k + p);
          s20 = av.fma(x0, s20);
          s21 = av.fma(x1, s21);
          av = FloatVector.fromArray(S, a, a0 + 3 * k + p);
          s30 = av.fma(x0, s30);
          s31 = av.fma(x1, s31);
        }
        s00.intoArray(lanes, 0);
        s01.intoArray(lanes, 8);
        s10.intoArray(lanes, 16);
        s11.intoArray(lanes, 24);
        s20.intoArray(lanes, 32);
        s21.intoArray(lanes, 40);
        s30.intoArray(lanes, 48);
        s31.intoArray(lanes, 56);
        for (int t = 0; t < 8; t++) {
          int r = t >> 1;
          int q = j + (t & 1);
          dotEnd(lanes, 8 * t, kv, k, a, a0 + r * k, b, bOff + q * k, c, i + r, q, n, cOff,
              mode, e, eOff, act, alpha);
        }
      }
      for (; j < n; j++) {
        for (int r = 0; r < 4; r++) {
          dot(kv, k, a, a0 + r * k, b, bOff + j * k, lanes, c, i + r, j, n, cOff, mode, e, eOff,
              act, alpha);
        }
      }
    }
    // Rows left over (all of them in a product of fewer rows than a tile, as a forward pass
    // of one sample): one row against four rows of B at a time.
    for (; i < m; i++) {
      int ai = aOff + i * k;
      int j = 0;
      for (; j + 4 <= n; j += 4) {
        int b0 = bOff + j * k;
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        for (int p = 0; p < kv; p += 8) {
          FloatVector av = FloatVector.fromArray(S, a, ai + p);
          s0 = av.fma(FloatVector.fromArray(S, b, b0 + p), s0);
          s1 = av.fma(FloatVector.fromArray(S, b, b0 + k + p), s1);
          s2 = av.fma(FloatVector.fromArray(S, b, b0 + 2 * k + p), s2);
          s3 = av.fma(FloatVector.fromArray(S, b, b0 + 3 * k + p), s3);
        }
        s0.intoArray(lanes, 0);
        s1.intoArray(lanes, 8);
        s2.intoArray(lanes, 16);
        s3.intoArray(lanes, 24);
        for (int q = 0; q < 4; q++) {
          dotEnd(lanes, 8 * q, kv, k, a, ai, b, b0 + q * k, c, i, j + q, n, cOff, mode, e,
              eOff, act, alpha);
        }
      }
      for (; j < n; j++) {
        dot(kv, k, a, ai, b, bOff + j * k, lanes, c, i, j, n, cOff, mode, e, eOff, act, alpha);
      }
    }
  }

  /** One entry {@code C[i][j]} of {@link #dots} on its own. */
  private static void dot(int kv, int k, float[] a, int ai, float[] b, int bj, float[] lanes,
      float[] c, int i, int j, int n, int cOff, int mode, float[] e, int eOff, Activation act,
      float alpha) {
    FloatVector s = FloatVector.zero(S);
    for (int p = 0; p < kv; p += 8) {
      s = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bj + p), s);
    }
    s.intoArray(lanes, 0);
    dotEnd(lanes, 0, kv, k, a, ai, b, bj, c, i, j, n, cOff, mode, e, eOff, act, alpha);
  }

  /**
   * Finishes entry {@code C[i][j]} of {@link #dots}: its eight partial sums at {@code lanes[l]}
   * added pairwise, the products past kv added one by one, then the epilogue.
   */
  private static void dotEnd(float[] lanes, int l, int kv, int k, float[] a, int ai, float[] b,
      int bj, float[] c, int i, int j, int n, int cOff, int mode, float[] e, int eOff,
      Activation act, float alpha) {
    float s = ((lanes[l] + lanes[l + 1]) + (lanes[l + 2] + lanes[l + 3]))
        + ((lanes[l + 4] + lanes[l + 5]) + (lanes[l + 6] + lanes[l + 7]));
    for (int p = kv; p < k; p++) {
      s = Math.fma(a[ai + p], b[bj + p], s);
    }
    c[cOff + i * n + j] = PlainGemm.finish(s, mode, e,
        mode == Gemm.BIAS_ACT ? eOff + j : eOff + i * n + j, act, alpha);
  }

  /**
   * {@code C = epilogue(a * b)} for k = 1, an outer product: {@code C[i][j] = a[i] * b[j]}, a
   * and b contiguous whatever their stored layout. Each entry is one fused multiply-add onto
   * zero, as the micro-kernel computes a product of depth 1, so the bits are the packed path's,
   * without its packing and tiles (W1's 32 x 1 x 64 input gradient).
   */
  static void outer(int m, int n, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
      int mode, float[] e, int eOff, Activation act, float alpha) {
    FloatVector zero = FloatVector.zero(S);
    int nv = n - n % L;
    for (int i = 0; i < m; i++) {
      float ai = a[aOff + i];
      FloatVector av = FloatVector.broadcast(S, ai);
      int ci = cOff + i * n;
      int eo = mode == Gemm.BIAS_ACT ? eOff : eOff + i * n;
      for (int j = 0; j < nv; j += L) {
        FloatVector v = FloatVector.fromArray(S, b, bOff + j).fma(av, zero);
        if (mode != Gemm.STORE) {
          v = epilogue(v, mode, e, eo + j, act, alpha);
        }
        v.intoArray(c, ci + j);
      }
      if (mode == Gemm.BIAS_ACT && !lanewise(act) && nv > 0) {
        act.applyInPlace(c, ci, nv, alpha);
      }
      for (int j = nv; j < n; j++) {
        c[ci + j] = PlainGemm.finish(Math.fma(ai, b[bOff + j], 0f), mode, e, eo + j, act, alpha);
      }
    }
  }

  /**
   * {@code C = epilogue(a * B)} for a single row of C (m = 1), B stored {@code [k][n]}: {@code
   * C[0][j] = sum_p a[p] * B[p][j]}, a contiguous whatever its stored layout. Each k slice's sum
   * runs in order by fused multiply-adds from zero and is added to the slices before, as the
   * micro-kernel sums a tile, so the bits are the packed path's (W1's 1 x 32 x 64 weight
   * gradient, where the tile's other five rows were padding).
   */
  static void row(int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
      int mode, float[] e, int eOff, Activation act, float alpha) {
    int kcMax = sliceLength(k);
    int j = 0;
    for (; j + 4 * L <= n; j += 4 * L) {
      for (int pc = 0; pc < k; pc += kcMax) {
        int kc = Math.min(kcMax, k - pc);
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        int bi = bOff + pc * n + j;
        for (int p = pc; p < pc + kc; p++, bi += n) {
          FloatVector av = FloatVector.broadcast(S, a[aOff + p]);
          c0 = FloatVector.fromArray(S, b, bi).fma(av, c0);
          c1 = FloatVector.fromArray(S, b, bi + L).fma(av, c1);
          c2 = FloatVector.fromArray(S, b, bi + 2 * L).fma(av, c2);
          c3 = FloatVector.fromArray(S, b, bi + 3 * L).fma(av, c3);
        }
        int co = cOff + j;
        if (pc > 0) {
          c0 = FloatVector.fromArray(S, c, co).add(c0);
          c1 = FloatVector.fromArray(S, c, co + L).add(c1);
          c2 = FloatVector.fromArray(S, c, co + 2 * L).add(c2);
          c3 = FloatVector.fromArray(S, c, co + 3 * L).add(c3);
        }
        c0.intoArray(c, co);
        c1.intoArray(c, co + L);
        c2.intoArray(c, co + 2 * L);
        c3.intoArray(c, co + 3 * L);
      }
    }
    for (; j + L <= n; j += L) {
      for (int pc = 0; pc < k; pc += kcMax) {
        int kc = Math.min(kcMax, k - pc);
        FloatVector c0 = FloatVector.zero(S);
        int bi = bOff + pc * n + j;
        for (int p = pc; p < pc + kc; p++, bi += n) {
          c0 = FloatVector.fromArray(S, b, bi).fma(FloatVector.broadcast(S, a[aOff + p]), c0);
        }
        if (pc > 0) {
          c0 = FloatVector.fromArray(S, c, cOff + j).add(c0);
        }
        c0.intoArray(c, cOff + j);
      }
    }
    int nv = j;
    for (; j < n; j++) {
      float sum = 0f;
      for (int pc = 0; pc < k; pc += kcMax) {
        int kc = Math.min(kcMax, k - pc);
        float s = 0f;
        for (int p = pc; p < pc + kc; p++) {
          s = Math.fma(a[aOff + p], b[bOff + p * n + j], s);
        }
        sum = pc == 0 ? s : sum + s;
      }
      c[cOff + j] = PlainGemm.finish(sum, mode, e, eOff + j, act, alpha);
    }
    if (mode != Gemm.STORE && nv > 0) {
      epilogueRow(c, cOff, nv, mode, e, eOff, act, alpha);
    }
  }

  /**
   * The length of the k slices: equal ones (784 -> 4 x 196, not 3 x 256 + 16), since a short
   * last slice would pay the full tile load and store for few FMAs. The shared packing
   * cuts k as the product does through this.
   */
  private static int sliceLength(int k) {
    return ceilDiv(k, ceilDiv(k, KC));
  }

  /** Whether an m x n x k product is small enough to read suitably stored operands in place. */
  private static boolean readsInPlace(int m, int n, int k) {
    return (long) m * n * k <= DIRECT_MAX_WORK;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private static int roundUp(int a, int b) {
    return ceilDiv(a, b) * b;
  }

  /**
   * Packs op(A)[ic .. ic+mc)[pc .. pc+kc) into MR-row slivers at {@code dst[dOff]}, the sliver
   * of rows {@code ic + ir} at {@code dOff + ir * kc}, MR values per k, zero-padding the last
   * sliver's missing rows.
   */
  private static void packA(float[] a, int aOff, boolean transA, int m, int k, int ic, int mc,
      int pc, int kc, float[] dst, int dOff) {
    for (int ir = 0; ir < mc; ir += MR) {
      int mr = Math.min(MR, mc - ir);
      int base = dOff + ir * kc;
      if (!transA && PACK_A_PAIRS && ir + 2 * MR <= mc) {
        // A stored [m][k], two full 8-row slivers at once: 16 x 16 blocks transposed in
        // registers, as a Linear weight's B slivers are, the k's past the last block by value.
        int src0 = aOff + (ic + ir) * k + pc;
        int high = base + MR * kc;
        int kv = kc - kc % 16;
        for (int p = 0; p < kv; p += 16) {
          transpose16(a, src0 + p, k, dst, base + p * MR, high + p * MR);
        }
        for (int r = 0; r < 2 * MR; r++) {
          int d = (r < MR ? base + r : high + r - MR) + kv * MR;
          for (int p = kv; p < kc; p++, d += MR) {
            dst[d] = a[src0 + r * k + p];
          }
        }
        ir += MR; // the second sliver is packed too
      } else if (transA) {
        // A stored [k][m]: the MR values of one k are contiguous. Where a vector holds MR
        // values, one vector is copied per k as long as the L - MR values past them land in
        // the next k's place (written next) and the read stays in A; the last k's, and short
        // slivers, go value by value, so nothing is written outside this sliver (parts pack the
        // slivers of a shared A in any order).
        int src0 = aOff + pc * m + ic + ir;
        int p = 0;
        if (mr == MR && L >= MR) {
          int vectorKs = Math.min(kc - (L - 1) / MR, Math.floorDiv(a.length - L - src0, m) + 1);
          for (; p < vectorKs; p++) {
            FloatVector.fromArray(S, a, src0 + p * m).intoArray(dst, base + p * MR);
          }
        }
        for (; p < kc; p++) {
          int src = src0 + p * m;
          int d = base + p * MR;
          for (int r = 0; r < mr; r++) {
            dst[d + r] = a[src + r];
          }
          for (int r = mr; r < MR; r++) {
            dst[d + r] = 0f;
          }
        }
      } else {
        for (int r = 0; r < mr; r++) {
          int src = aOff + (ic + ir + r) * k + pc;
          for (int p = 0; p < kc; p++) {
            dst[base + p * MR + r] = a[src + p];
          }
        }
        for (int r = mr; r < MR; r++) {
          for (int p = 0; p < kc; p++) {
            dst[base + p * MR + r] = 0f;
          }
        }
      }
    }
  }

  /**
   * Packs op(B)[pc .. pc+kc)[jc .. jc+nc) into NR-column slivers at {@code dst[dOff]}, the
   * sliver of columns {@code jc + jr} at {@code dOff + jr * kc}, NR values per k, zero-padding
   * the last sliver's missing columns; nothing is written outside the slivers.
   */
  private static void packB(float[] b, int bOff, boolean transB, int n, int k, int pc, int kc,
      int jc, int nc, float[] dst, int dOff) {
    if (!transB) {
      // B stored [k][n]: rows of B are already runs of each sliver's columns.
      int full = nc - nc % NR;
      packRowsOfB(b, bOff, n, pc, kc, jc, full, dst, dOff);
      if (full < nc) {
        int nr = nc - full;
        for (int p = 0; p < kc; p++) {
          int d = dOff + full * kc + p * NR;
          System.arraycopy(b, bOff + (pc + p) * n + jc + full, dst, d, nr);
          java.util.Arrays.fill(dst, d + nr, d + NR, 0f);
        }
      }
      return;
    }
    // B stored [n][k] (a Linear weight): each sliver reads its NR rows along k.
    for (int jr = 0; jr < nc; jr += NR) {
      int nr = Math.min(NR, nc - jr);
      int base = dOff + jr * kc;
      int src0 = bOff + (jc + jr) * k + pc;
      if ((L == 16 || L == 8) && nr == NR) {
        int kv = kc - kc % L;
        for (int j = 0; j < NR; j += L) {
          for (int p = 0; p < kv; p += L) {
            if (L == 16) {
              transpose16(b, src0 + j * k + p, k, dst, base + p * NR + j, -1);
            } else {
              transpose8(b, src0 + j * k + p, k, dst, base + p * NR + j);
            }
          }
          for (int jj = j; jj < j + L; jj++) {
            for (int p = kv; p < kc; p++) {
              dst[base + p * NR + jj] = b[src0 + jj * k + p];
            }
          }
        }
        continue;
      }
      int j = 0;
      // Blocks of 8 rows x 8 k: both the reads and the writes stay within a few lines.
      for (; j + 7 < nr; j += 8) {
        int p = 0;
        for (; p + 7 < kc; p += 8) {
          for (int jj = j; jj < j + 8; jj++) {
            int src = src0 + jj * k + p;
            int d = base + p * NR + jj;
            dst[d] = b[src];
            dst[d + NR] = b[src + 1];
            dst[d + 2 * NR] = b[src + 2];
            dst[d + 3 * NR] = b[src + 3];
            dst[d + 4 * NR] = b[src + 4];
            dst[d + 5 * NR] = b[src + 5];
            dst[d + 6 * NR] = b[src + 6];
            dst[d + 7 * NR] = b[src + 7];
          }
        }
        for (; p < kc; p++) {
          for (int jj = j; jj < j + 8; jj++) {
            dst[base + p * NR + jj] = b[src0 + jj * k + p];
          }
        }
      }
      for (; j < nr; j++) {
        int src = src0 + j * k;
        for (int p = 0; p < kc; p++) {
          dst[base + p * NR + j] = b[src + p];
        }
      }
      for (j = nr; j < NR; j++) {
        for (int p = 0; p < kc; p++) {
          dst[base + p * NR + j] = 0f;
        }
      }
    }
  }

  /** Lane rotations and masks of {@link #transpose16}'s and {@link #transpose8}'s stages. */
  private static final VectorShuffle<Float> DOWN8 = rotation(-8);
  private static final VectorShuffle<Float> DOWN4 = rotation(-4);
  private static final VectorShuffle<Float> DOWN2 = rotation(-2);
  private static final VectorShuffle<Float> DOWN1 = rotation(-1);
  private static final VectorShuffle<Float> UP8 = rotation(8);
  private static final VectorShuffle<Float> UP4 = rotation(4);
  private static final VectorShuffle<Float> UP2 = rotation(2);
  private static final VectorShuffle<Float> UP1 = rotation(1);
  private static final VectorMask<Float> ODD8 = oddBlocks(8);
  private static final VectorMask<Float> ODD4 = oddBlocks(4);
  private static final VectorMask<Float> ODD2 = oddBlocks(2);
  private static final VectorMask<Float> ODD1 = oddBlocks(1);
  private static final VectorMask<Float> EVEN8 = ODD8.not();
  private static final VectorMask<Float> EVEN4 = ODD4.not();
  private static final VectorMask<Float> EVEN2 = ODD2.not();
  private static final VectorMask<Float> EVEN1 = ODD1.not();

  /** Lane c takes lane {@code c + h} (mod L). */
  private static VectorShuffle<Float> rotation(int h) {
    int[] index = new int[L];
    for (int c = 0; c < L; c++) {
      index[c] = Math.floorMod(c + h, L);
    }
    return VectorShuffle.fromArray(S, index, 0);
  }

  /** Lanes c with {@code (c / h)} odd. */
  private static VectorMask<Float> oddBlocks(int h) {
    boolean[] odd = new boolean[L];
    for (int c = 0; c < L; c++) {
      odd[c] = (c / h) % 2 == 1;
    }
    return VectorMask.fromArray(S, odd, 0);
  }

  /**
   * Transposes 16 x 16 values of an operand stored by rows along k (16 rows at {@code src + r *
   * k}, 16 values each) with 16-lane vectors: into 16 columns of a B sliver ({@code dst[d + p *
   * NR + r]}) when {@code dHigh} is negative, else into two 8-row A slivers (rows 0-7 at {@code
   * dst[d + p * MR + r]}, rows 8-15 at {@code dst[dHigh + p * MR + r - 8]}). Four stages swap
   * the off-diagonal blocks of 8, 4, 2 and 1 lanes: each new vector is one operand blended with
   * the other rotated by the block size. It moves values only; no sum changes.
   */
  private static void transpose16(float[] x, int src, int k, float[] dst, int d, int dHigh) {
    FloatVector v0 = FloatVector.fromArray(S, x, src);
    FloatVector v1 = FloatVector.fromArray(S, x, src + k);
    FloatVector v2 = FloatVector.fromArray(S, x, src + 2 * k);
    FloatVector v3 = FloatVector.fromArray(S, x, src + 3 * k);
    FloatVector v4 = FloatVector.fromArray(S, x, src + 4 * k);
    FloatVector v5 = FloatVector.fromArray(S, x, src + 5 * k);
    FloatVector v6 = FloatVector.fromArray(S, x, src + 6 * k);
    FloatVector v7 = FloatVector.fromArray(S, x, src + 7 * k);
    FloatVector v8 = FloatVector.fromArray(S, x, src + 8 * k);
    FloatVector v9 = FloatVector.fromArray(S, x, src + 9 * k);
    FloatVector va = FloatVector.fromArray(S, x, src + 10 * k);
    FloatVector vb = FloatVector.fromArray(S, x, src + 11 * k);
    FloatVector vc = FloatVector.fromArray(S, x, src + 12 * k);
    FloatVector vd = FloatVector.fromArray(S, x, src + 13 * k);
    FloatVector ve = FloatVector.fromArray(S, x, src + 14 * k);
    FloatVector vf = FloatVector.fromArray(S, x, src + 15 * k);
    FloatVector t;
    t = v0;
    v0 = t.blend(v8.rearrange(DOWN8), ODD8);
    v8 = v8.blend(t.rearrange(UP8), EVEN8);
    t = v1;
    v1 = t.blend(v9.rearrange(DOWN8), ODD8);
    v9 = v9.blend(t.rearrange(UP8), EVEN8);
    t = v2;
    v2 = t.blend(va.rearrange(DOWN8), ODD8);
    va = va.blend(t.rearrange(UP8), EVEN8);
    t = v3;
    v3 = t.blend(vb.rearrange(DOWN8), ODD8);
    vb = vb.blend(t.rearrange(UP8), EVEN8);
    t = v4;
    v4 = t.blend(vc.rearrange(DOWN8), ODD8);
    vc = vc.blend(t.rearrange(UP8), EVEN8);
    t = v5;
    v5 = t.blend(vd.rearrange(DOWN8), ODD8);
    vd = vd.blend(t.rearrange(UP8), EVEN8);
    t = v6;
    v6 = t.blend(ve.rearrange(DOWN8), ODD8);
    ve = ve.blend(t.rearrange(UP8), EVEN8);
    t = v7;
    v7 = t.blend(vf.rearrange(DOWN8), ODD8);
    vf = vf.blend(t.rearrange(UP8), EVEN8);
    t = v0;
    v0 = t.blend(v4.rearrange(DOWN4), ODD4);
    v4 = v4.blend(t.rearrange(UP4), EVEN4);
    t = v1;
    v1 = t.blend(v5.rearrange(DOWN4), ODD4);
    v5 = v5.blend(t.rearrange(UP4), EVEN4);
    t = v2;
    v2 = t.blend(v6.rearrange(DOWN4), ODD4);
    v6 = v6.blend(t.rearrange(UP4), EVEN4);
    t = v3;
    v3 = t.blend(v7.rearrange(DOWN4), ODD4);
    v7 = v7.blend(t.rearrange(UP4), EVEN4);
    t = v8;
    v8 = t.blend(vc.rearrange(DOWN4), ODD4);
    vc = vc.blend(t.rearrange(UP4), EVEN4);
    t = v9;
    v9 = t.blend(vd.rearrange(DOWN4), ODD4);
    vd = vd.blend(t.rearrange(UP4), EVEN4);
    t = va;
    va = t.blend(ve.rearrange(DOWN4), ODD4);
    ve = ve.blend(t.rearrange(UP4), EVEN4);
    t = vb;
    vb = t.blend(vf.rearrange(DOWN4), ODD4);
    vf = vf.blend(t.rearrange(UP4), EVEN4);
    t = v0;
    v0 = t.blend(v2.rearrange(DOWN2), ODD2);
    v2 = v2.blend(t.rearrange(UP2), EVEN2);
    t = v1;
    v1 = t.blend(v3.rearrange(DOWN2), ODD2);
    v3 = v3.blend(t.rearrange(UP2), EVEN2);
    t = v4;
    v4 = t.blend(v6.rearrange(DOWN2), ODD2);
    v6 = v6.blend(t.rearrange(UP2), EVEN2);
    t = v5;
    v5 = t.blend(v7.rearrange(DOWN2), ODD2);
    v7 = v7.blend(t.rearrange(UP2), EVEN2);
    t = v8;
    v8 = t.blend(va.rearrange(DOWN2), ODD2);
    va = va.blend(t.rearrange(UP2), EVEN2);
    t = v9;
    v9 = t.blend(vb.rearrange(DOWN2), ODD2);
    vb = vb.blend(t.rearrange(UP2), EVEN2);
    t = vc;
    vc = t.blend(ve.rearrange(DOWN2), ODD2);
    ve = ve.blend(t.rearrange(UP2), EVEN2);
    t = vd;
    vd = t.blend(vf.rearrange(DOWN2), ODD2);
    vf = vf.blend(t.rearrange(UP2), EVEN2);
    t = v0;
    v0 = t.blend(v1.rearrange(DOWN1), ODD1);
    v1 = v1.blend(t.rearrange(UP1), EVEN1);
    t = v2;
    v2 = t.blend(v3.rearrange(DOWN1), ODD1);
    v3 = v3.blend(t.rearrange(UP1), EVEN1);
    t = v4;
    v4 = t.blend(v5.rearrange(DOWN1), ODD1);
    v5 = v5.blend(t.rearrange(UP1), EVEN1);
    t = v6;
    v6 = t.blend(v7.rearrange(DOWN1), ODD1);
    v7 = v7.blend(t.rearrange(UP1), EVEN1);
    t = v8;
    v8 = t.blend(v9.rearrange(DOWN1), ODD1);
    v9 = v9.blend(t.rearrange(UP1), EVEN1);
    t = va;
    va = t.blend(vb.rearrange(DOWN1), ODD1);
    vb = vb.blend(t.rearrange(UP1), EVEN1);
    t = vc;
    vc = t.blend(vd.rearrange(DOWN1), ODD1);
    vd = vd.blend(t.rearrange(UP1), EVEN1);
    t = ve;
    ve = t.blend(vf.rearrange(DOWN1), ODD1);
    vf = vf.blend(t.rearrange(UP1), EVEN1);
    if (dHigh < 0) {
      v0.intoArray(dst, d);
      v1.intoArray(dst, d + NR);
      v2.intoArray(dst, d + 2 * NR);
      v3.intoArray(dst, d + 3 * NR);
      v4.intoArray(dst, d + 4 * NR);
      v5.intoArray(dst, d + 5 * NR);
      v6.intoArray(dst, d + 6 * NR);
      v7.intoArray(dst, d + 7 * NR);
      v8.intoArray(dst, d + 8 * NR);
      v9.intoArray(dst, d + 9 * NR);
      va.intoArray(dst, d + 10 * NR);
      vb.intoArray(dst, d + 11 * NR);
      vc.intoArray(dst, d + 12 * NR);
      vd.intoArray(dst, d + 13 * NR);
      ve.intoArray(dst, d + 14 * NR);
      vf.intoArray(dst, d + 15 * NR);
    } else {
      // Rows q and q + 1 hold two k's of 16 rows: their low halves go to the first sliver,
      // their high halves to the second, one vector each.
      v0.blend(v1.rearrange(DOWN8), ODD8).intoArray(dst, d);
      v0.rearrange(UP8).blend(v1, ODD8).intoArray(dst, dHigh);
      v2.blend(v3.rearrange(DOWN8), ODD8).intoArray(dst, d + 2 * MR);
      v2.rearrange(UP8).blend(v3, ODD8).intoArray(dst, dHigh + 2 * MR);
      v4.blend(v5.rearrange(DOWN8), ODD8).intoArray(dst, d + 4 * MR);
      v4.rearrange(UP8).blend(v5, ODD8).intoArray(dst, dHigh + 4 * MR);
      v6.blend(v7.rearrange(DOWN8), ODD8).intoArray(dst, d + 6 * MR);
      v6.rearrange(UP8).blend(v7, ODD8).intoArray(dst, dHigh + 6 * MR);
      v8.blend(v9.rearrange(DOWN8), ODD8).intoArray(dst, d + 8 * MR);
      v8.rearrange(UP8).blend(v9, ODD8).intoArray(dst, dHigh + 8 * MR);
      va.blend(vb.rearrange(DOWN8), ODD8).intoArray(dst, d + 10 * MR);
      va.rearrange(UP8).blend(vb, ODD8).intoArray(dst, dHigh + 10 * MR);
      vc.blend(vd.rearrange(DOWN8), ODD8).intoArray(dst, d + 12 * MR);
      vc.rearrange(UP8).blend(vd, ODD8).intoArray(dst, dHigh + 12 * MR);
      ve.blend(vf.rearrange(DOWN8), ODD8).intoArray(dst, d + 14 * MR);
      ve.rearrange(UP8).blend(vf, ODD8).intoArray(dst, dHigh + 14 * MR);
    }
  }


  /**
   * {@link #transpose16} for 8-lane vectors (AVX2), into a B sliver only: 8 rows at {@code src +
   * r * k}, 8 values each, into {@code dst[d + p * NR + r]}, in three stages (blocks of 4, 2
   * and 1 lanes).
   */
  private static void transpose8(float[] x, int src, int k, float[] dst, int d) {
    FloatVector v0 = FloatVector.fromArray(S, x, src);
    FloatVector v1 = FloatVector.fromArray(S, x, src + k);
    FloatVector v2 = FloatVector.fromArray(S, x, src + 2 * k);
    FloatVector v3 = FloatVector.fromArray(S, x, src + 3 * k);
    FloatVector v4 = FloatVector.fromArray(S, x, src + 4 * k);
    FloatVector v5 = FloatVector.fromArray(S, x, src + 5 * k);
    FloatVector v6 = FloatVector.fromArray(S, x, src + 6 * k);
    FloatVector v7 = FloatVector.fromArray(S, x, src + 7 * k);
    FloatVector t;
    t = v0;
    v0 = t.blend(v4.rearrange(DOWN4), ODD4);
    v4 = v4.blend(t.rearrange(UP4), EVEN4);
    t = v1;
    v1 = t.blend(v5.rearrange(DOWN4), ODD4);
    v5 = v5.blend(t.rearrange(UP4), EVEN4);
    t = v2;
    v2 = t.blend(v6.rearrange(DOWN4), ODD4);
    v6 = v6.blend(t.rearrange(UP4), EVEN4);
    t = v3;
    v3 = t.blend(v7.rearrange(DOWN4), ODD4);
    v7 = v7.blend(t.rearrange(UP4), EVEN4);
    t = v0;
    v0 = t.blend(v2.rearrange(DOWN2), ODD2);
    v2 = v2.blend(t.rearrange(UP2), EVEN2);
    t = v1;
    v1 = t.blend(v3.rearrange(DOWN2), ODD2);
    v3 = v3.blend(t.rearrange(UP2), EVEN2);
    t = v4;
    v4 = t.blend(v6.rearrange(DOWN2), ODD2);
    v6 = v6.blend(t.rearrange(UP2), EVEN2);
    t = v5;
    v5 = t.blend(v7.rearrange(DOWN2), ODD2);
    v7 = v7.blend(t.rearrange(UP2), EVEN2);
    t = v0;
    v0 = t.blend(v1.rearrange(DOWN1), ODD1);
    v1 = v1.blend(t.rearrange(UP1), EVEN1);
    t = v2;
    v2 = t.blend(v3.rearrange(DOWN1), ODD1);
    v3 = v3.blend(t.rearrange(UP1), EVEN1);
    t = v4;
    v4 = t.blend(v5.rearrange(DOWN1), ODD1);
    v5 = v5.blend(t.rearrange(UP1), EVEN1);
    t = v6;
    v6 = t.blend(v7.rearrange(DOWN1), ODD1);
    v7 = v7.blend(t.rearrange(UP1), EVEN1);
    v0.intoArray(dst, d);
    v1.intoArray(dst, d + NR);
    v2.intoArray(dst, d + 2 * NR);
    v3.intoArray(dst, d + 3 * NR);
    v4.intoArray(dst, d + 4 * NR);
    v5.intoArray(dst, d + 5 * NR);
    v6.intoArray(dst, d + 6 * NR);
    v7.intoArray(dst, d + 7 * NR);
  }

  /**
   * Packs the full slivers of B stored [k][n], columns {@code [jc, jc + nc)} with nc a
   * multiple of NR, as {@link #packB} lays them out: a few k rows at a time across every
   * sliver, a vector at a time. One sliver's k rows after another read one 64-byte run per row
   * at a stride of n, each from another page, which the prefetchers do not follow: W4's 2048 x
   * 2048 weights packed at 0.5 floats/ns that way and at 2-3 this way (Zen 3).
   */
  private static void packRowsOfB(float[] b, int bOff, int n, int pc, int kc, int jc, int nc,
      float[] dst, int dOff) {
    for (int p0 = 0; p0 < kc; p0 += ROWS_PER_PASS) {
      int rows = Math.min(ROWS_PER_PASS, kc - p0);
      for (int jr = 0; jr < nc; jr += NR) {
        int src = bOff + (pc + p0) * n + jc + jr;
        int d = dOff + jr * kc + p0 * NR;
        for (int p = 0; p < rows; p++, src += n, d += NR) {
          for (int v = 0; v < NR; v += L) {
            FloatVector.fromArray(S, b, src + v).intoArray(dst, d + v);
          }
        }
      }
    }
  }

  /** k rows of B stored [k][n] that {@link #packRowsOfB} copies across all slivers per pass. */
  private static final int ROWS_PER_PASS = 4;

  /** Runs the micro-kernel for one tile, the packed one unless an operand is read in place. */
  private static void tile(int kc, float[] pa, int ao, int aStep, float[] pb, int bo, int bStep,
      float[] out, int oo, int ldo, boolean add) {
    if (aStep == MR && bStep == NR) {
      microKernel(kc, pa, ao, pb, bo, out, oo, ldo, add);
    } else {
      microKernelDirect(kc, pa, ao, aStep, pb, bo, bStep, out, oo, ldo, add);
    }
  }

  /**
   * Computes the first {@code mr} rows of an edge tile into {@code tile} (row stride NR; the
   * rows past mr are left as they were). The 6-row tile's edges of up to 4 rows run as pairs of
   * rows: a batch slice of 32 rows leaves a 2-row edge, which the whole 6-row kernel computed
   * at the cost of a full tile. Every entry is the same sum in the same order either way; an
   * odd row count's last pair reads one row of the zero padding the packed edge sliver has.
   */
  private static void edgeTile(int mr, int kc, float[] pa, int ao, int aStep, float[] pb,
      int bo, int bStep, float[] tile) {
    if (MR == 6 && mr <= 4) {
      for (int r = 0; r < mr; r += 2) {
        rowPair(kc, pa, ao + r, aStep, pb, bo, bStep, tile, r * NR);
      }
    } else {
      tile(kc, pa, ao, aStep, pb, bo, bStep, tile, 0, NR, false);
    }
  }

  /**
   * Two rows of a 6-row tile, {@code sum_p A[r][p] * B[p][j]} for r = 0, 1 from A at {@code ao +
   * p * aStep + r} and B at {@code bo + p * bStep}, into {@code out[oo + r * NR + j]}.
   */
  private static void rowPair(int kc, float[] pa, int ao, int aStep, float[] pb, int bo,
      int bStep, float[] out, int oo) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    // Indices stepped rather than multiplied, as in microKernel6Direct.
    int ai = ao;
    int bi = bo;
    for (int p = 0; p < kc; p++, ai += aStep, bi += bStep) {
      FloatVector b0 = FloatVector.fromArray(S, pb, bi);
      FloatVector b1 = FloatVector.fromArray(S, pb, bi + L);
      FloatVector av = FloatVector.broadcast(S, pa[ai]);
      c00 = b0.fma(av, c00);
      c01 = b1.fma(av, c01);
      av = FloatVector.broadcast(S, pa[ai + 1]);
      c10 = b0.fma(av, c10);
      c11 = b1.fma(av, c11);
    }
    c00.intoArray(out, oo);
    c01.intoArray(out, oo + L);
    c10.intoArray(out, oo + NR);
    c11.intoArray(out, oo + NR + L);
  }

  /** Runs the in-place micro-kernel for MR rows (a constant, so C2 keeps only one branch). */
  private static void microKernelDirect(int kc, float[] pa, int ao, int aStep, float[] pb,
      int bo, int bStep, float[] out, int oo, int ldo, boolean add) {
    if (MR == 8) {
      microKernel8Direct(kc, pa, ao, aStep, pb, bo, bStep, out, oo, ldo, add);
    } else if (MR == 2) {
      microKernel2Direct(kc, pa, ao, aStep, pb, bo, bStep, out, oo, ldo, add);
    } else {
      microKernel6Direct(kc, pa, ao, aStep, pb, bo, bStep, out, oo, ldo, add);
    }
  }

  /** Runs the micro-kernel for MR rows (a constant, so C2 keeps only one branch). */
  private static void microKernel(int kc, float[] pa, int ao, float[] pb, int bo, float[] out,
      int oo, int ldo, boolean add) {
    if (MR == 8) {
      microKernel8(kc, pa, ao, pb, bo, out, oo, ldo, add);
    } else if (MR == 2) {
      microKernel2(kc, pa, ao, pb, bo, out, oo, ldo, add);
    } else {
      microKernel6(kc, pa, ao, pb, bo, out, oo, ldo, add);
    }
  }

  /**
   * The 8-row micro-kernel, for 512-bit vectors (AVX-512 has 32 registers). Computes the MR x NR
   * tile {@code sum_p A[r][p] * B[p][j]} from packed slivers into
   * {@code out[oo + r * ldo + j]}, first adding what is there if {@code add} (the sum of the
   * earlier k slices); the accumulators stay in registers for the whole k loop.
   */
  private static void microKernel8(int kc, float[] pa, int ao, float[] pb, int bo, float[] out,
      int oo, int ldo, boolean add) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    FloatVector c60 = c00;
    FloatVector c61 = c00;
    FloatVector c70 = c00;
    FloatVector c71 = c00;
    // A's index counts the loop, as in microKernel6 (measured there; on AVX2 a one-vector
    // 8-row kernel went from 27 to 72 GFLOP/s with the same change).
    int bi = bo;
    for (int ai = ao, end = ao + kc * MR; ai < end; ai += MR) {
      FloatVector b0 = FloatVector.fromArray(S, pb, bi);
      FloatVector b1 = FloatVector.fromArray(S, pb, bi + L);
      bi += NR;
      FloatVector av = FloatVector.broadcast(S, pa[ai]);
      c00 = b0.fma(av, c00);
      c01 = b1.fma(av, c01);
      av = FloatVector.broadcast(S, pa[ai + 1]);
      c10 = b0.fma(av, c10);
      c11 = b1.fma(av, c11);
      av = FloatVector.broadcast(S, pa[ai + 2]);
      c20 = b0.fma(av, c20);
      c21 = b1.fma(av, c21);
      av = FloatVector.broadcast(S, pa[ai + 3]);
      c30 = b0.fma(av, c30);
      c31 = b1.fma(av, c31);
      av = FloatVector.broadcast(S, pa[ai + 4]);
      c40 = b0.fma(av, c40);
      c41 = b1.fma(av, c41);
      av = FloatVector.broadcast(S, pa[ai + 5]);
      c50 = b0.fma(av, c50);
      c51 = b1.fma(av, c51);
      av = FloatVector.broadcast(S, pa[ai + 6]);
      c60 = b0.fma(av, c60);
      c61 = b1.fma(av, c61);
      av = FloatVector.broadcast(S, pa[ai + 7]);
      c70 = b0.fma(av, c70);
      c71 = b1.fma(av, c71);
    }
    if (add) {
      c00 = FloatVector.fromArray(S, out, oo).add(c00);
      c01 = FloatVector.fromArray(S, out, oo + L).add(c01);
      c10 = FloatVector.fromArray(S, out, oo + ldo).add(c10);
      c11 = FloatVector.fromArray(S, out, oo + ldo + L).add(c11);
      c20 = FloatVector.fromArray(S, out, oo + 2 * ldo).add(c20);
      c21 = FloatVector.fromArray(S, out, oo + 2 * ldo + L).add(c21);
      c30 = FloatVector.fromArray(S, out, oo + 3 * ldo).add(c30);
      c31 = FloatVector.fromArray(S, out, oo + 3 * ldo + L).add(c31);
      c40 = FloatVector.fromArray(S, out, oo + 4 * ldo).add(c40);
      c41 = FloatVector.fromArray(S, out, oo + 4 * ldo + L).add(c41);
      c50 = FloatVector.fromArray(S, out, oo + 5 * ldo).add(c50);
      c51 = FloatVector.fromArray(S, out, oo + 5 * ldo + L).add(c51);
      c60 = FloatVector.fromArray(S, out, oo + 6 * ldo).add(c60);
      c61 = FloatVector.fromArray(S, out, oo + 6 * ldo + L).add(c61);
      c70 = FloatVector.fromArray(S, out, oo + 7 * ldo).add(c70);
      c71 = FloatVector.fromArray(S, out, oo + 7 * ldo + L).add(c71);
    }
    c00.intoArray(out, oo);
    c01.intoArray(out, oo + L);
    c10.intoArray(out, oo + ldo);
    c11.intoArray(out, oo + ldo + L);
    c20.intoArray(out, oo + 2 * ldo);
    c21.intoArray(out, oo + 2 * ldo + L);
    c30.intoArray(out, oo + 3 * ldo);
    c31.intoArray(out, oo + 3 * ldo + L);
    c40.intoArray(out, oo + 4 * ldo);
    c41.intoArray(out, oo + 4 * ldo + L);
    c50.intoArray(out, oo + 5 * ldo);
    c51.intoArray(out, oo + 5 * ldo + L);
    c60.intoArray(out, oo + 6 * ldo);
    c61.intoArray(out, oo + 6 * ldo + L);
    c70.intoArray(out, oo + 7 * ldo);
    c71.intoArray(out, oo + 7 * ldo + L);
  }

  /**
   * {@link #microKernel8} for operands read in place: A's MR values of step p start at {@code ao
   * + p * aStep}, B's NR at {@code bo + p * bStep}. A separate copy because C2 hoists the array
   * bounds checks out of the k loop only for constant steps: with variable steps in the packed
   * kernel, large products lost about a third of their speed.
   */
  private static void microKernel8Direct(int kc, float[] pa, int ao, int aStep, float[] pb,
      int bo, int bStep, float[] out, int oo, int ldo, boolean add) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    FloatVector c60 = c00;
    FloatVector c61 = c00;
    FloatVector c70 = c00;
    FloatVector c71 = c00;
    // Indices stepped rather than multiplied, as in microKernel6Direct.
    int ai = ao;
    int bi = bo;
    for (int p = 0; p < kc; p++, ai += aStep, bi += bStep) {
      FloatVector b0 = FloatVector.fromArray(S, pb, bi);
      FloatVector b1 = FloatVector.fromArray(S, pb, bi + L);
      FloatVector av = FloatVector.broadcast(S, pa[ai]);
      c00 = b0.fma(av, c00);
      c01 = b1.fma(av, c01);
      av = FloatVector.broadcast(S, pa[ai + 1]);
      c10 = b0.fma(av, c10);
      c11 = b1.fma(av, c11);
      av = FloatVector.broadcast(S, pa[ai + 2]);
      c20 = b0.fma(av, c20);
      c21 = b1.fma(av, c21);
      av = FloatVector.broadcast(S, pa[ai + 3]);
      c30 = b0.fma(av, c30);
      c31 = b1.fma(av, c31);
      av = FloatVector.broadcast(S, pa[ai + 4]);
      c40 = b0.fma(av, c40);
      c41 = b1.fma(av, c41);
      av = FloatVector.broadcast(S, pa[ai + 5]);
      c50 = b0.fma(av, c50);
      c51 = b1.fma(av, c51);
      av = FloatVector.broadcast(S, pa[ai + 6]);
      c60 = b0.fma(av, c60);
      c61 = b1.fma(av, c61);
      av = FloatVector.broadcast(S, pa[ai + 7]);
      c70 = b0.fma(av, c70);
      c71 = b1.fma(av, c71);
    }
    if (add) {
      c00 = FloatVector.fromArray(S, out, oo).add(c00);
      c01 = FloatVector.fromArray(S, out, oo + L).add(c01);
      c10 = FloatVector.fromArray(S, out, oo + ldo).add(c10);
      c11 = FloatVector.fromArray(S, out, oo + ldo + L).add(c11);
      c20 = FloatVector.fromArray(S, out, oo + 2 * ldo).add(c20);
      c21 = FloatVector.fromArray(S, out, oo + 2 * ldo + L).add(c21);
      c30 = FloatVector.fromArray(S, out, oo + 3 * ldo).add(c30);
      c31 = FloatVector.fromArray(S, out, oo + 3 * ldo + L).add(c31);
      c40 = FloatVector.fromArray(S, out, oo + 4 * ldo).add(c40);
      c41 = FloatVector.fromArray(S, out, oo + 4 * ldo + L).add(c41);
      c50 = FloatVector.fromArray(S, out, oo + 5 * ldo).add(c50);
      c51 = FloatVector.fromArray(S, out, oo + 5 * ldo + L).add(c51);
      c60 = FloatVector.fromArray(S, out, oo + 6 * ldo).add(c60);
      c61 = FloatVector.fromArray(S, out, oo + 6 * ldo + L).add(c61);
      c70 = FloatVector.fromArray(S, out, oo + 7 * ldo).add(c70);
      c71 = FloatVector.fromArray(S, out, oo + 7 * ldo + L).add(c71);
    }
    c00.intoArray(out, oo);
    c01.intoArray(out, oo + L);
    c10.intoArray(out, oo + ldo);
    c11.intoArray(out, oo + ldo + L);
    c20.intoArray(out, oo + 2 * ldo);
    c21.intoArray(out, oo + 2 * ldo + L);
    c30.intoArray(out, oo + 3 * ldo);
    c31.intoArray(out, oo + 3 * ldo + L);
    c40.intoArray(out, oo + 4 * ldo);
    c41.intoArray(out, oo + 4 * ldo + L);
    c50.intoArray(out, oo + 5 * ldo);
    c51.intoArray(out, oo + 5 * ldo + L);
    c60.intoArray(out, oo + 6 * ldo);
    c61.intoArray(out, oo + 6 * ldo + L);
    c70.intoArray(out, oo + 7 * ldo);
    c71.intoArray(out, oo + 7 * ldo + L);
  }

  /**
   * The wide 2-row micro-kernel ({@link #wideTile}): 2 rows x 4 vectors, 8 accumulators, one
   * broadcast per four FMAs. Computes the MR x NR tile {@code sum_p A[r][p] * B[p][j]} from
   * packed slivers into {@code out[oo + r * ldo + j]}, first adding what is there if {@code add}.
   */
  private static void microKernel2(int kc, float[] pa, int ao, float[] pb, int bo, float[] out,
      int oo, int ldo, boolean add) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c02 = c00;
    FloatVector c03 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c12 = c00;
    FloatVector c13 = c00;
    // A's index counts the loop, as in microKernel6.
    int bi = bo;
    for (int ai = ao, end = ao + kc * MR; ai < end; ai += MR) {
      FloatVector b0 = FloatVector.fromArray(S, pb, bi);
      FloatVector b1 = FloatVector.fromArray(S, pb, bi + L);
      FloatVector b2 = FloatVector.fromArray(S, pb, bi + 2 * L);
      FloatVector b3 = FloatVector.fromArray(S, pb, bi + 3 * L);
      bi += NR;
      FloatVector av = FloatVector.broadcast(S, pa[ai]);
      c00 = b0.fma(av, c00);
      c01 = b1.fma(av, c01);
      c02 = b2.fma(av, c02);
      c03 = b3.fma(av, c03);
      av = FloatVector.broadcast(S, pa[ai + 1]);
      c10 = b0.fma(av, c10);
      c11 = b1.fma(av, c11);
      c12 = b2.fma(av, c12);
      c13 = b3.fma(av, c13);
    }
    if (add) {
      c00 = FloatVector.fromArray(S, out, oo).add(c00);
      c01 = FloatVector.fromArray(S, out, oo + L).add(c01);
      c02 = FloatVector.fromArray(S, out, oo + 2 * L).add(c02);
      c03 = FloatVector.fromArray(S, out, oo + 3 * L).add(c03);
      c10 = FloatVector.fromArray(S, out, oo + ldo).add(c10);
      c11 = FloatVector.fromArray(S, out, oo + ldo + L).add(c11);
      c12 = FloatVector.fromArray(S, out, oo + ldo + 2 * L).add(c12);
      c13 = FloatVector.fromArray(S, out, oo + ldo + 3 * L).add(c13);
    }
    c00.intoArray(out, oo);
    c01.intoArray(out, oo + L);
    c02.intoArray(out, oo + 2 * L);
    c03.intoArray(out, oo + 3 * L);
    c10.intoArray(out, oo + ldo);
    c11.intoArray(out, oo + ldo + L);
    c12.intoArray(out, oo + ldo + 2 * L);
    c13.intoArray(out, oo + ldo + 3 * L);
  }

  /**
   * {@link #microKernel2} for operands read in place, as {@link #microKernel8Direct} (whose
   * comment says why it is a copy; the accumulators are written out in each copy too, since a
   * vector passed to a method that is not inlined is boxed).
   */
  private static void microKernel2Direct(int kc, float[] pa, int ao, int aStep, float[] pb,
      int bo, int bStep, float[] out, int oo, int ldo, boolean add) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c02 = c00;
    FloatVector c03 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c12 = c00;
    FloatVector c13 = c00;
    // Indices stepped rather than multiplied, as in microKernel6Direct.
    int ai = ao;
    int bi = bo;
    for (int p = 0; p < kc; p++, ai += aStep, bi += bStep) {
      FloatVector b0 = FloatVector.fromArray(S, pb, bi);
      FloatVector b1 = FloatVector.fromArray(S, pb, bi + L);
      FloatVector b2 = FloatVector.fromArray(S, pb, bi + 2 * L);
      FloatVector b3 = FloatVector.fromArray(S, pb, bi + 3 * L);
      FloatVector av = FloatVector.broadcast(S, pa[ai]);
      c00 = b0.fma(av, c00);
      c01 = b1.fma(av, c01);
      c02 = b2.fma(av, c02);
      c03 = b3.fma(av, c03);
      av = FloatVector.broadcast(S, pa[ai + 1]);
      c10 = b0.fma(av, c10);
      c11 = b1.fma(av, c11);
      c12 = b2.fma(av, c12);
      c13 = b3.fma(av, c13);
    }
    if (add) {
      c00 = FloatVector.fromArray(S, out, oo).add(c00);
      c01 = FloatVector.fromArray(S, out, oo + L).add(c01);
      c02 = FloatVector.fromArray(S, out, oo + 2 * L).add(c02);
      c03 = FloatVector.fromArray(S, out, oo + 3 * L).add(c03);
      c10 = FloatVector.fromArray(S, out, oo + ldo).add(c10);
      c11 = FloatVector.fromArray(S, out, oo + ldo + L).add(c11);
      c12 = FloatVector.fromArray(S, out, oo + ldo + 2 * L).add(c12);
      c13 = FloatVector.fromArray(S, out, oo + ldo + 3 * L).add(c13);
    }
    c00.intoArray(out, oo);
    c01.intoArray(out, oo + L);
    c02.intoArray(out, oo + 2 * L);
    c03.intoArray(out, oo + 3 * L);
    c10.intoArray(out, oo + ldo);
    c11.intoArray(out, oo + ldo + L);
    c12.intoArray(out, oo + ldo + 2 * L);
    c13.intoArray(out, oo + ldo + 3 * L);
  }

  /**
   * The 6-row micro-kernel, for vectors narrower than 512 bits: 12 accumulators, two B
   * vectors and a broadcast fit the 16 registers of AVX2 without spilling. Computes the MR x NR
   * tile {@code sum_p A[r][p] * B[p][j]} from packed slivers into
   * {@code out[oo + r * ldo + j]}, first adding what is there if {@code add} (the sum of the
   * earlier k slices); the accumulators stay in registers for the whole k loop.
   */
  private static void microKernel6(int kc, float[] pa, int ao, float[] pb, int bo, float[] out,
      int oo, int ldo, boolean add) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    // The loop counts A's index rather than k: C2 then drops the bounds checks of the six A
    // reads, which with a k counter it kept in the loop (two per k; Zen 3, Java 17: 77-79
    // GFLOP/s with a k counter, 86-88 without, on packed operands in cache).
    int bi = bo;
    for (int ai = ao, end = ao + kc * MR; ai < end; ai += MR) {
      FloatVector b0 = FloatVector.fromArray(S, pb, bi);
      FloatVector b1 = FloatVector.fromArray(S, pb, bi + L);
      bi += NR;
      FloatVector av = FloatVector.broadcast(S, pa[ai]);
      c00 = b0.fma(av, c00);
      c01 = b1.fma(av, c01);
      av = FloatVector.broadcast(S, pa[ai + 1]);
      c10 = b0.fma(av, c10);
      c11 = b1.fma(av, c11);
      av = FloatVector.broadcast(S, pa[ai + 2]);
      c20 = b0.fma(av, c20);
      c21 = b1.fma(av, c21);
      av = FloatVector.broadcast(S, pa[ai + 3]);
      c30 = b0.fma(av, c30);
      c31 = b1.fma(av, c31);
      av = FloatVector.broadcast(S, pa[ai + 4]);
      c40 = b0.fma(av, c40);
      c41 = b1.fma(av, c41);
      av = FloatVector.broadcast(S, pa[ai + 5]);
      c50 = b0.fma(av, c50);
      c51 = b1.fma(av, c51);
    }
    if (add) {
      c00 = FloatVector.fromArray(S, out, oo).add(c00);
      c01 = FloatVector.fromArray(S, out, oo + L).add(c01);
      c10 = FloatVector.fromArray(S, out, oo + ldo).add(c10);
      c11 = FloatVector.fromArray(S, out, oo + ldo + L).add(c11);
      c20 = FloatVector.fromArray(S, out, oo + 2 * ldo).add(c20);
      c21 = FloatVector.fromArray(S, out, oo + 2 * ldo + L).add(c21);
      c30 = FloatVector.fromArray(S, out, oo + 3 * ldo).add(c30);
      c31 = FloatVector.fromArray(S, out, oo + 3 * ldo + L).add(c31);
      c40 = FloatVector.fromArray(S, out, oo + 4 * ldo).add(c40);
      c41 = FloatVector.fromArray(S, out, oo + 4 * ldo + L).add(c41);
      c50 = FloatVector.fromArray(S, out, oo + 5 * ldo).add(c50);
      c51 = FloatVector.fromArray(S, out, oo + 5 * ldo + L).add(c51);
    }
    c00.intoArray(out, oo);
    c01.intoArray(out, oo + L);
    c10.intoArray(out, oo + ldo);
    c11.intoArray(out, oo + ldo + L);
    c20.intoArray(out, oo + 2 * ldo);
    c21.intoArray(out, oo + 2 * ldo + L);
    c30.intoArray(out, oo + 3 * ldo);
    c31.intoArray(out, oo + 3 * ldo + L);
    c40.intoArray(out, oo + 4 * ldo);
    c41.intoArray(out, oo + 4 * ldo + L);
    c50.intoArray(out, oo + 5 * ldo);
    c51.intoArray(out, oo + 5 * ldo + L);
  }

  /**
   * {@link #microKernel6} for operands read in place, as {@link #microKernel8Direct} is for the
   * 8-row kernel.
   */
  private static void microKernel6Direct(int kc, float[] pa, int ao, int aStep, float[] pb,
      int bo, int bStep, float[] out, int oo, int ldo, boolean add) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    // Indices stepped rather than multiplied: with variable steps C2 keeps the bounds checks
    // in the loop either way, but not the products (W1's 64 x 64 x 32 weight gradient on Zen 3:
    // 66-70 to 77-79 GFLOP/s).
    int ai = ao;
    int bi = bo;
    for (int p = 0; p < kc; p++, ai += aStep, bi += bStep) {
      FloatVector b0 = FloatVector.fromArray(S, pb, bi);
      FloatVector b1 = FloatVector.fromArray(S, pb, bi + L);
      FloatVector av = FloatVector.broadcast(S, pa[ai]);
      c00 = b0.fma(av, c00);
      c01 = b1.fma(av, c01);
      av = FloatVector.broadcast(S, pa[ai + 1]);
      c10 = b0.fma(av, c10);
      c11 = b1.fma(av, c11);
      av = FloatVector.broadcast(S, pa[ai + 2]);
      c20 = b0.fma(av, c20);
      c21 = b1.fma(av, c21);
      av = FloatVector.broadcast(S, pa[ai + 3]);
      c30 = b0.fma(av, c30);
      c31 = b1.fma(av, c31);
      av = FloatVector.broadcast(S, pa[ai + 4]);
      c40 = b0.fma(av, c40);
      c41 = b1.fma(av, c41);
      av = FloatVector.broadcast(S, pa[ai + 5]);
      c50 = b0.fma(av, c50);
      c51 = b1.fma(av, c51);
    }
    if (add) {
      c00 = FloatVector.fromArray(S, out, oo).add(c00);
      c01 = FloatVector.fromArray(S, out, oo + L).add(c01);
      c10 = FloatVector.fromArray(S, out, oo + ldo).add(c10);
      c11 = FloatVector.fromArray(S, out, oo + ldo + L).add(c11);
      c20 = FloatVector.fromArray(S, out, oo + 2 * ldo).add(c20);
      c21 = FloatVector.fromArray(S, out, oo + 2 * ldo + L).add(c21);
      c30 = FloatVector.fromArray(S, out, oo + 3 * ldo).add(c30);
      c31 = FloatVector.fromArray(S, out, oo + 3 * ldo + L).add(c31);
      c40 = FloatVector.fromArray(S, out, oo + 4 * ldo).add(c40);
      c41 = FloatVector.fromArray(S, out, oo + 4 * ldo + L).add(c41);
      c50 = FloatVector.fromArray(S, out, oo + 5 * ldo).add(c50);
      c51 = FloatVector.fromArray(S, out, oo + 5 * ldo + L).add(c51);
    }
    c00.intoArray(out, oo);
    c01.intoArray(out, oo + L);
    c10.intoArray(out, oo + ldo);
    c11.intoArray(out, oo + ldo + L);
    c20.intoArray(out, oo + 2 * ldo);
    c21.intoArray(out, oo + 2 * ldo + L);
    c30.intoArray(out, oo + 3 * ldo);
    c31.intoArray(out, oo + 3 * ldo + L);
    c40.intoArray(out, oo + 4 * ldo);
    c41.intoArray(out, oo + 4 * ldo + L);
    c50.intoArray(out, oo + 5 * ldo);
    c51.intoArray(out, oo + 5 * ldo + L);
  }

  /**
   * Applies the epilogue in place to a full MR x NR tile of finished sums in C at {@code co}
   * (row stride ldc); {@code e} is the bias (BIAS_ACT, at eo for the tile's first column) or Y
   * (DERIV, laid out like C, tile at eo).
   */
  private static void epilogueFull(float[] c, int co, int ldc, int mode, float[] e, int eo,
      Activation act, float alpha) {
    for (int r = 0; r < MR; r++) {
      epilogueRow(c, co + r * ldc, NR, mode, e, mode == Gemm.BIAS_ACT ? eo : eo + r * ldc, act,
          alpha);
    }
  }

  /**
   * Applies the epilogue in place to {@code len} finished sums of one row of C at {@code ci},
   * len a multiple of L; {@code e} is the bias (BIAS_ACT) or Y's row (DERIV), at eo for the
   * first of them.
   */
  private static void epilogueRow(float[] c, int ci, int len, int mode, float[] e, int eo,
      Activation act, float alpha) {
    for (int h = 0; h < len; h += L) {
      epilogue(FloatVector.fromArray(S, c, ci + h), mode, e, eo + h, act, alpha)
          .intoArray(c, ci + h);
    }
    if (mode == Gemm.BIAS_ACT && !lanewise(act)) {
      // Exact scalar transcendental functions keep both paths and all tiles bit-identical.
      act.applyInPlace(c, ci, len, alpha);
    }
  }

  /**
   * The epilogue of L finished sums, whose bias or Y begins at {@code e[eo]}; of a BIAS_ACT
   * activation only the {@link #lanewise} ones, the others being applied after in scalar code.
   */
  private static FloatVector epilogue(FloatVector v, int mode, float[] e, int eo,
      Activation act, float alpha) {
    if (mode == Gemm.BIAS_ACT) {
      if (e != null) {
        v = v.add(FloatVector.fromArray(S, e, eo));
      }
      if (act == Activation.RELU) {
        // Lanewise MAX is Math.max's: NaN stays NaN and -0 becomes 0, as in Activation.
        return v.max(0f);
      } else if (act == Activation.LEAKY_RELU) {
        // NaN <= 0 is false, so a NaN lane keeps its NaN.
        return v.blend(v.mul(alpha), v.compare(VectorOperators.LE, 0f));
      }
      return v;
    }
    return v.mul(derivative(FloatVector.fromArray(S, e, eo), act, alpha));
  }

  /** Whether the epilogue applies {@code act} on vectors: else in scalar code, exactly. */
  private static boolean lanewise(Activation act) {
    return act == Activation.IDENTITY || act == Activation.RELU || act == Activation.LEAKY_RELU;
  }

  private static FloatVector derivative(FloatVector y, Activation act, float alpha) {
    switch (act) {
      case RELU:
        return FloatVector.zero(S).blend(1f, y.compare(VectorOperators.GT, 0f));
      case LEAKY_RELU:
        return FloatVector.broadcast(S, alpha).blend(1f, y.compare(VectorOperators.GT, 0f));
      case SIGMOID:
        return y.mul(FloatVector.broadcast(S, 1f).sub(y));
      case TANH:
        return FloatVector.broadcast(S, 1f).sub(y.mul(y));
      default:
        return FloatVector.broadcast(S, 1f);
    }
  }

  /**
   * Writes the mr x nr valid entries of an edge tile (row-major in {@code tile}, row stride NR)
   * to C at {@code co}, adding the earlier k slices unless {@code first} and applying the
   * epilogue on the {@code last} slice, in scalar code; e is as in {@link #epilogueFull}.
   */
  private static void storePartial(float[] tile, int mr, int nr, float[] c, int co, int ldc,
      boolean first, boolean last, int mode, float[] e, int eo, Activation act, float alpha) {
    for (int r = 0; r < mr; r++) {
      int ci = co + r * ldc;
      for (int j = 0; j < nr; j++) {
        float v = tile[r * NR + j];
        if (!first) {
          v = c[ci + j] + v;
        }
        if (last && mode == Gemm.BIAS_ACT) {
          if (e != null) {
            v = v + e[eo + j];
          }
          v = act.apply(v, alpha);
        } else if (last && mode == Gemm.DERIV) {
          v = v * act.derivativeFromOutput(e[eo + r * ldc + j], alpha);
        }
        c[ci + j] = v;
      }
    }
  }

  /**
   * As {@link #storePartial} but C is stored transposed: tile entry (r, j) goes to
   * {@code c[co + j * ldc + r]}; the bias is per row r ({@code e[eo + r]}), Y is laid out like C.
   */
  private static void storeTransposed(float[] tile, int mr, int nr, float[] c, int co, int ldc,
      boolean first, boolean last, int mode, float[] e, int eo, Activation act, float alpha) {
    for (int j = 0; j < nr; j++) {
      int cj = co + j * ldc;
      for (int r = 0; r < mr; r++) {
        float v = tile[r * NR + j];
        if (!first) {
          v = c[cj + r] + v;
        }
        if (last && mode == Gemm.BIAS_ACT) {
          if (e != null) {
            v = v + e[eo + r];
          }
          v = act.apply(v, alpha);
        } else if (last && mode == Gemm.DERIV) {
          v = v * act.derivativeFromOutput(e[eo + j * ldc + r], alpha);
        }
        c[cj + r] = v;
      }
    }
  }
}
