package dev.annonet.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops of {@link Attention}'s core with the JDK Vector API, over the first {@link
 * #whole} columns of a head (a whole number of vectors); {@code Attention} does the rest in
 * scalar code. Loaded only when {@link Kernels#vectorApiAvailable()} is true.
 */
final class VectorAttention {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorAttention() {}

  /** The columns of a head of size hs that whole vectors cover. */
  static int whole(int hs) {
    return hs / L * L;
  }

  /** {@code sum_{c < end} w[a + c] w[b + c]}, end a multiple of the vector length. */
  static float dot(float[] w, int a, int b, int end) {
    if (end == 0) {
      return 0f;
    }
    FloatVector acc = FloatVector.fromArray(S, w, a).mul(FloatVector.fromArray(S, w, b));
    for (int c = L; c < end; c += L) {
      acc = FloatVector.fromArray(S, w, a + c).fma(FloatVector.fromArray(S, w, b + c), acc);
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  /** {@code w[y + c] = sum_{j < len} w[p + j] w[rows + j * stride + c]} for {@code c < end}. */
  static void combineRow(float[] w, int p, int rows, int stride, int len, int y, int end) {
    for (int c = 0; c < end; c += L) {
      FloatVector acc = FloatVector.zero(S);
      for (int j = 0; j < len; j++) {
        acc = FloatVector.fromArray(S, w, rows + j * stride + c)
            .fma(FloatVector.broadcast(S, w[p + j]), acc);
      }
      acc.intoArray(w, y + c);
    }
  }

  /**
   * {@code w[y + c] = sum_{j <= i < t} w[p0 + i(i+1)/2 + j] w[rows + i * stride + c]} for
   * {@code c < end}.
   */
  static void combineColumn(float[] w, int p0, int j, int t, int rows, int stride, int y,
      int end) {
    for (int c = 0; c < end; c += L) {
      FloatVector acc = FloatVector.zero(S);
      int at = p0 + j * (j + 1) / 2 + j;
      for (int i = j; i < t; i++) {
        acc = FloatVector.fromArray(S, w, rows + i * stride + c)
            .fma(FloatVector.broadcast(S, w[at]), acc);
        at += i + 1;
      }
      acc.intoArray(w, y + c);
    }
  }
}
