package dev.annonet.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2x2 max pooling written with the JDK Vector API; see {@link Pool#maxForward}.
 *
 * <p>Loaded only when {@link Kernels#vectorApiAvailable()} is true. Outputs are taken a vector
 * at a time in their flat order; the four corners of their windows are gathered through a
 * table of window offsets within one plane, so a plane must hold a whole number of vectors of
 * outputs ({@link #handles}). Blocks holding a NaN are done by the scalar loop, which gives NaN
 * its precedence; elsewhere the vector comparisons make the same choices as the scalar ones.
 */
final class VectorPool {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final float TWO_23 = 8388608f;
  /** Bits of {@code 2^23} as a float. */
  private static final int MAGIC = Float.floatToRawIntBits(TWO_23);

  /** Per-thread table of window offsets within a plane. */
  private static final ThreadLocal<int[][]> TABLE = ThreadLocal.withInitial(() -> new int[1][0]);

  private VectorPool() {}

  /**
   * Whether {@link #max2} handles the shape: planes of a whole number of vectors of outputs,
   * float lanes as wide as int lanes, and rows short enough for the offset trick below.
   */
  static boolean handles(int h, int w, int oh, int ow) {
    return I.length() == L && (oh * ow) % L == 0 && w + 1 < (1 << 23);
  }

  /**
   * {@code Pool.maxForward} with 2x2 windows on planes {@code [p0, p1)}, for a shape {@link
   * #handles} accepts.
   */
  static void max2(float[] in, float[] out, int[] argmax, int p0, int p1, int h, int w,
      int stride, int oh, int ow) {
    int per = oh * ow;
    int[][] holder = TABLE.get();
    if (holder[0].length < per) {
      holder[0] = new int[per];
    }
    int[] table = holder[0];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        table[y * ow + x] = y * stride * w + x * stride;
      }
    }
    FloatVector zero = FloatVector.zero(S);
    FloatVector one = FloatVector.broadcast(S, 1f);
    FloatVector down = FloatVector.broadcast(S, w);
    FloatVector diagonal = FloatVector.broadcast(S, w + 1);
    for (int plane = p0; plane < p1; plane++) {
      int base = plane * h * w;
      int t0 = plane * per;
      for (int j = 0; j < per; j += L) {
        FloatVector v0 = FloatVector.fromArray(S, in, base, table, j);
        FloatVector v1 = FloatVector.fromArray(S, in, base + 1, table, j);
        FloatVector v2 = FloatVector.fromArray(S, in, base + w, table, j);
        FloatVector v3 = FloatVector.fromArray(S, in, base + w + 1, table, j);
        FloatVector sum = v0.add(v1).add(v2).add(v3);
        if (sum.compare(VectorOperators.NE, sum).anyTrue()) {
          // A NaN (or inf - inf): the scalar rules, element by element.
          scalar(in, out, argmax, base, w, table, j, t0 + j);
          continue;
        }
        // Strictly greater takes over: the first maximum in row-major order wins ties.
        FloatVector best = v0;
        FloatVector rel = zero;
        VectorMask<Float> m = v1.compare(VectorOperators.GT, best);
        best = best.blend(v1, m);
        rel = rel.blend(one, m);
        m = v2.compare(VectorOperators.GT, best);
        best = best.blend(v2, m);
        rel = rel.blend(down, m);
        m = v3.compare(VectorOperators.GT, best);
        best = best.blend(v3, m);
        rel = rel.blend(diagonal, m);
        best.intoArray(out, t0 + j);
        // rel is a small whole number n: the bits of 2^23 + n are MAGIC + n (C2 compiles the
        // reinterpretation to nothing, where a float-to-int conversion would box).
        IntVector index = rel.add(TWO_23).reinterpretAsInts();
        index.add(IntVector.fromArray(I, table, j)).add(base - MAGIC).intoArray(argmax, t0 + j);
      }
    }
  }

  /** The scalar rules of {@code Pool.maxForward} for one block of outputs. */
  private static void scalar(float[] in, float[] out, int[] argmax, int base, int w,
      int[] table, int j, int t) {
    for (int lane = 0; lane < L; lane++) {
      int i0 = base + table[j + lane];
      int best = i0;
      float bestV = in[i0];
      for (int i = 0; i < 2; i++) {
        for (int c = 0; c < 2; c++) {
          int at = i0 + i * w + c;
          float v = in[at];
          if (v > bestV || (v != v && bestV == bestV)) {
            bestV = v;
            best = at;
          }
        }
      }
      out[t + lane] = bestV;
      argmax[t + lane] = best;
    }
  }
}
