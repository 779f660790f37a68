package dev.annonet.kernels;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares the three matrix products, on every implementation (simple, tiled plain, Vector
 * API), against naive loops in double.
 */
class GemmTest {

  private static final float ALPHA = 0.05f;
  private static final int[] DIMS = {1, 3, 17, 33, 130};
  private static final int[] ROWS = {1, 2, 3, 4, 5, 64, 130};

  static Stream<Arguments> shapes() {
    Stream.Builder<Arguments> s = Stream.builder();
    for (Gemm.Impl impl : Gemm.Impl.values()) {
      if (impl == Gemm.Impl.VECTOR && !Kernels.vectorModulePresent()) {
        continue;
      }
      for (int m : ROWS) {
        for (int n : DIMS) {
          for (int k : DIMS) {
            s.add(Arguments.of(impl, m, n, k));
          }
        }
      }
      // Sizes past the blocking parameters of the fast path, with ragged edges.
      s.add(Arguments.of(impl, 130, 1040, 300));
      s.add(Arguments.of(impl, 97, 257, 513));
    }
    return s.build();
  }

  @ParameterizedTest(name = "{0} m={1} n={2} k={3}")
  @MethodSource("shapes")
  void abtWithBiasAndActivation(Gemm.Impl impl, int m, int n, int k) {
    SplittableRandom rnd = new SplittableRandom(m * 1_000_003L + n * 1009L + k);
    int aOff = 3;
    int bOff = 5;
    int cOff = 2;
    float[] a = Naive.random(rnd, aOff + m * k + 1, 1);
    float[] b = Naive.random(rnd, bOff + n * k + n + 1, 1);
    int biasOff = bOff + n * k;
    double[] sumAbs = new double[m * n];
    double[] z = Naive.abt(m, n, k, a, aOff, b, bOff, b, biasOff, sumAbs);
    for (Activation act : Activation.values()) {
      float[] c = Naive.random(rnd, cOff + m * n + 1, 9);
      float[] before = c.clone();
      Gemm.multiply(impl, m, n, k, a, aOff, false, b, bOff, true, c, cOff, Gemm.BIAS_ACT, b,
          biasOff, act, ALPHA);
      double[] expected = new double[m * n];
      double[] bound = new double[m * n];
      for (int t = 0; t < m * n; t++) {
        expected[t] = Naive.act(act, z[t], ALPHA);
        bound[t] = Naive.bound(k, sumAbs[t], expected[t]);
      }
      GradientCheck.assertWithin("abt " + act, expected, c, cOff, bound);
      assertUntouchedOutside(before, c, cOff, m * n);
    }
  }

  @ParameterizedTest(name = "{0} m={1} n={2} k={3}")
  @MethodSource("shapes")
  void atb(Gemm.Impl impl, int m, int n, int k) {
    SplittableRandom rnd = new SplittableRandom(m * 7L + n * 1_000_003L + k * 31L);
    float[] a = Naive.random(rnd, 1 + k * m, 1);
    float[] b = Naive.random(rnd, 4 + k * n, 1);
    float[] c = Naive.random(rnd, 7 + m * n + 2, 9);
    float[] before = c.clone();
    Gemm.multiply(impl, m, n, k, a, 1, true, b, 4, false, c, 7, Gemm.STORE, null, 0,
        Activation.IDENTITY, 0f);
    double[] sumAbs = new double[m * n];
    double[] expected = Naive.atb(m, n, k, a, 1, b, 4, sumAbs);
    double[] bound = new double[m * n];
    for (int t = 0; t < m * n; t++) {
      bound[t] = Naive.bound(k, sumAbs[t], expected[t]);
    }
    GradientCheck.assertWithin("atb", expected, c, 7, bound);
    assertUntouchedOutside(before, c, 7, m * n);
  }

  @ParameterizedTest(name = "{0} m={1} n={2} k={3}")
  @MethodSource("shapes")
  void abWithDerivative(Gemm.Impl impl, int m, int n, int k) {
    SplittableRandom rnd = new SplittableRandom(m * 31L + n * 7L + k * 1_000_003L);
    float[] a = Naive.random(rnd, 2 + m * k, 1);
    float[] b = Naive.random(rnd, 6 + k * n, 1);
    double[] sumAbs = new double[m * n];
    double[] prod = Naive.ab(m, n, k, a, 2, b, 6, sumAbs);
    for (Activation act : Naive.fromOutput()) {
      // Y holds outputs of act: apply it to random pre-activations.
      float[] y = Naive.random(rnd, 1 + m * n, 3);
      act.applyInPlace(y, 0, y.length, ALPHA);
      boolean none = act == Activation.IDENTITY;
      float[] c = Naive.random(rnd, 4 + m * n + 3, 9);
      float[] before = c.clone();
      Gemm.multiply(impl, m, n, k, a, 2, false, b, 6, false, c, 4,
          none ? Gemm.STORE : Gemm.DERIV, none ? null : y, 1, act, ALPHA);
      double[] expected = new double[m * n];
      double[] bound = new double[m * n];
      for (int t = 0; t < m * n; t++) {
        double d = Naive.derivFromOutput(act, y[1 + t], ALPHA);
        expected[t] = d * prod[t];
        // The float derivative is within 2u (absolute) of d, as |y| <= 1 where it is not 1.
        double g = Naive.bound(k, sumAbs[t], 0);
        bound[t] = (Math.abs(d) + 2 * GradientCheck.U) * g
            + 2 * GradientCheck.U * Math.abs(prod[t]) + 4 * GradientCheck.U * Math.abs(expected[t]);
      }
      GradientCheck.assertWithin("ab " + act, expected, c, 4, bound);
      assertUntouchedOutside(before, c, 4, m * n);
    }
  }

  @ParameterizedTest(name = "plain={0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void publicProductsWithoutBiasOrDerivative(boolean plain) {
    Kernels.forcePlain(plain);
    try {
      int m = 37;
      int n = 45;
      int k = 29;
      SplittableRandom rnd = new SplittableRandom(5);
      float[] a = Naive.random(rnd, m * k, 1);
      float[] b = Naive.random(rnd, n * k, 1);
      double[] sumAbs = new double[m * n];
      double[] bound = new double[m * n];
      float[] c = new float[m * n];
      // A * B^T with no bias; the same data read as A^T [k][m] and B [k][n] for the others.
      Gemm.multiplyAbt(m, n, k, a, 0, b, 0, c, 0, null, 0, Activation.IDENTITY, 0f);
      double[] expected = Naive.abt(m, n, k, a, 0, b, 0, null, 0, sumAbs);
      for (int t = 0; t < bound.length; t++) {
        bound[t] = Naive.bound(k, sumAbs[t], expected[t]);
      }
      GradientCheck.assertWithin("multiplyAbt", expected, c, 0, bound);
      Gemm.multiplyAtb(m, n, k, a, 0, b, 0, c, 0);
      expected = Naive.atb(m, n, k, a, 0, b, 0, sumAbs);
      for (int t = 0; t < bound.length; t++) {
        bound[t] = Naive.bound(k, sumAbs[t], expected[t]);
      }
      GradientCheck.assertWithin("multiplyAtb", expected, c, 0, bound);
      Gemm.multiplyAb(m, n, k, a, 0, b, 0, c, 0, null, 0, Activation.IDENTITY, 0f);
      expected = Naive.ab(m, n, k, a, 0, b, 0, sumAbs);
      for (int t = 0; t < bound.length; t++) {
        bound[t] = Naive.bound(k, sumAbs[t], expected[t]);
      }
      GradientCheck.assertWithin("multiplyAb", expected, c, 0, bound);
    } finally {
      Kernels.forcePlain(false);
    }
  }

  @org.junit.jupiter.api.Test
  void sumColumnsMatchesNaiveAndIsTheSameOnBothPaths() {
    for (int m : ROWS) {
      for (int n : DIMS) {
        SplittableRandom rnd = new SplittableRandom(m * 131L + n);
        float[] a = Naive.random(rnd, 3 + m * n, 1);
        float[] vec = Naive.random(rnd, n + 2, 5);
        float[] plain = vec.clone();
        float[] before = vec.clone();
        Gemm.sumColumns(m, n, a, 3, vec, 1);
        Kernels.forcePlain(true);
        try {
          Gemm.sumColumns(m, n, a, 3, plain, 1);
        } finally {
          Kernels.forcePlain(false);
        }
        double[] expected = new double[n];
        double[] bound = new double[n];
        for (int j = 0; j < n; j++) {
          double abs = 0;
          for (int i = 0; i < m; i++) {
            expected[j] += a[3 + i * n + j];
            abs += Math.abs(a[3 + i * n + j]);
          }
          bound[j] = Naive.bound(m, abs, expected[j]);
        }
        GradientCheck.assertWithin("sumColumns m=" + m + " n=" + n, expected, vec, 1, bound);
        org.junit.jupiter.api.Assertions.assertArrayEquals(plain, vec, "paths differ");
        assertUntouchedOutside(before, vec, 1, n);
      }
    }
  }

  /**
   * Small products read an operand in place instead of packing it (A stored [k][m], B stored
   * [k][n]); the sums are the same, so the bits must be too, edges included.
   */
  @org.junit.jupiter.api.Test
  void operandsReadInPlaceGiveTheBitsOfPackedOnes() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.vectorModulePresent(),
        "needs --add-modules jdk.incubator.vector");
    int[][] sizes = {{64, 64, 32}, {13, 64, 32}, {64, 13, 32}, {130, 33, 17}, {8, 32, 300},
        {17, 130, 64}, {3, 3, 3}};
    for (int[] s : sizes) {
      int m = s[0];
      int n = s[1];
      int k = s[2];
      SplittableRandom rnd = new SplittableRandom(m * 31L + n * 7L + k);
      float[] a = Naive.random(rnd, 2 + m * k, 1);
      float[] b = Naive.random(rnd, 4 + n * k, 1);
      for (boolean transA : new boolean[] {false, true}) {
        for (boolean transB : new boolean[] {false, true}) {
          float[] direct = new float[1 + m * n];
          float[] packed = new float[1 + m * n];
          VectorGemm.multiply(m, n, k, a, 2, transA, b, 4, transB, direct, 1, false, Gemm.STORE,
              null, 0, Activation.IDENTITY, 0f, 0, m, 0, n, true, null, null);
          VectorGemm.multiply(m, n, k, a, 2, transA, b, 4, transB, packed, 1, false, Gemm.STORE,
              null, 0, Activation.IDENTITY, 0f, 0, m, 0, n, false, null, null);
          org.junit.jupiter.api.Assertions.assertArrayEquals(packed, direct,
              m + "x" + n + "x" + k + " transA=" + transA + " transB=" + transB);
        }
      }
    }
  }

  /**
   * Products of depth 1 (an outer product), of a single row of C and forward products of
   * fewer than 16 columns or a few rows run on their own vector loops ({@code
   * VectorGemm.outer}, {@code row}, {@code dots}) rather than on packed tiles. They must give the packed kernels' bits (dots:
   * the plain loop's, which every path runs for one column), with every epilogue, k sliced or
   * not, vectors and tails.
   */
  @org.junit.jupiter.api.Test
  void singleRowsColumnsAndDepthOneGiveTheBitsOfTheirPackedProducts() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.vectorApiAvailable(),
        "needs --add-modules jdk.incubator.vector");
    // {m, n, k}: depth 1, then one row of C (k past a slice at 300 and 513), then one column.
    int[][] sizes = {{32, 64, 1}, {5, 13, 1}, {130, 33, 1}, {64, 8, 1}, {1, 64, 32}, {1, 13, 7},
        {1, 100, 300}, {1, 67, 513}, {32, 1, 64}, {5, 1, 13}, {9, 1, 8}, {33, 1, 300},
        {64, 10, 128}, {130, 15, 33}, {7, 3, 300}, {32, 2, 8}, {6, 5, 7}, {1, 64, 13},
        {3, 130, 64}, {7, 33, 100}, {5, 64, 64}};
    int checked = 0;
    for (int[] s : sizes) {
      int m = s[0];
      int n = s[1];
      int k = s[2];
      SplittableRandom rnd = new SplittableRandom(m * 131L + n * 17L + k);
      float[] a = Naive.random(rnd, 2 + m * k, 1);
      float[] b = Naive.random(rnd, 4 + n * k, 1);
      float[] bias = Naive.random(rnd, 3 + n, 1);
      float[] y = Naive.random(rnd, 1 + m * n, 1);
      for (boolean transA : new boolean[] {false, true}) {
        for (boolean transB : new boolean[] {false, true}) {
          for (int mode : new int[] {Gemm.STORE, Gemm.BIAS_ACT, Gemm.DERIV}) {
            for (Activation act : Activation.values()) {
              if (mode == Gemm.STORE && act != Activation.IDENTITY
                  || mode == Gemm.DERIV && !Naive.fromOutput().contains(act)) {
                continue;
              }
              float[] e = mode == Gemm.BIAS_ACT ? bias : mode == Gemm.DERIV ? y : null;
              int eOff = mode == Gemm.BIAS_ACT ? 3 : mode == Gemm.DERIV ? 1 : 0;
              float[] fast = new float[1 + m * n];
              float[] expected = new float[1 + m * n];
              Gemm.multiply(Gemm.Impl.VECTOR, m, n, k, a, 2, transA, b, 4, transB, fast, 1,
                  mode, e, eOff, act, ALPHA);
              boolean dots = !transA && n == 1 || Gemm.narrowForward(m, n, k, transA, transB);
              if (dots) {
                PlainGemm.dots(m, n, k, a, 2, b, 4, expected, 1, mode, e, eOff, act, ALPHA);
              } else {
                VectorGemm.multiply(m, n, k, a, 2, transA, b, 4, transB, expected, 1, false,
                    mode, e, eOff, act, ALPHA, 0, m, 0, n, false, null, null);
              }
              org.junit.jupiter.api.Assertions.assertArrayEquals(expected, fast, m + "x" + n
                  + "x" + k + " transA=" + transA + " transB=" + transB + " mode=" + mode
                  + " " + act);
              checked++;
            }
          }
        }
      }
    }
    org.junit.jupiter.api.Assertions.assertTrue(checked > 100, "cases checked: " + checked);
  }

  /**
   * A row's entries are the same bits whether the row falls in a full tile or in a tile cut
   * short by the last rows (as a batch and its slices cut them differently): rows 32-63 of a
   * 64-row product against the same rows as a product of their own, every epilogue.
   */
  @org.junit.jupiter.api.Test
  void rowsGiveTheSameBitsInFullTilesAndInTilesCutShort() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.vectorApiAvailable(),
        "needs --add-modules jdk.incubator.vector");
    int m = 64;
    int n = 64;
    int from = 32;
    for (int k : new int[] {37, 300}) {
      SplittableRandom rnd = new SplittableRandom(k);
      float[] a = Naive.random(rnd, m * k, 1);
      float[] b = Naive.random(rnd, n * k, 1);
      float[] bias = Naive.random(rnd, n, 1);
      float[] y = Naive.random(rnd, m * n, 1);
      for (int mode : new int[] {Gemm.STORE, Gemm.BIAS_ACT, Gemm.DERIV}) {
        for (Activation act : Activation.values()) {
          if (mode == Gemm.STORE && act != Activation.IDENTITY
              || mode == Gemm.DERIV && !Naive.fromOutput().contains(act)) {
            continue;
          }
          boolean transB = mode == Gemm.BIAS_ACT;
          float[] e = mode == Gemm.BIAS_ACT ? bias : y;
          float[] whole = new float[m * n];
          float[] part = new float[(m - from) * n];
          Gemm.multiply(Gemm.Impl.VECTOR, m, n, k, a, 0, false, b, 0, transB, whole, 0, mode, e,
              0, act, ALPHA);
          Gemm.multiply(Gemm.Impl.VECTOR, m - from, n, k, a, from * k, false, b, 0, transB, part,
              0, mode, e, mode == Gemm.DERIV ? from * n : 0, act, ALPHA);
          org.junit.jupiter.api.Assertions.assertArrayEquals(
              java.util.Arrays.copyOfRange(whole, from * n, m * n), part,
              "k=" + k + " mode=" + mode + " " + act);
        }
      }
    }
  }

  /**
   * A classifier head's product on 1 to 3 threads gives the bits of one: as dot products shared
   * by rows ({@code DotsTask}, with 8-lane vectors, where they must also be the plain loop's
   * bits), else as a packed product shared by columns.
   */
  @org.junit.jupiter.api.Test
  void aNarrowForwardProductOnMoreThreadsGivesTheBitsOfOne() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.vectorApiAvailable(),
        "needs --add-modules jdk.incubator.vector");
    int m = 1030;
    int n = 10;
    int k = 129;
    SplittableRandom rnd = new SplittableRandom(42);
    float[] a = Naive.random(rnd, m * k, 1);
    float[] b = Naive.random(rnd, n * k + n, 1);
    float[] expected = new float[m * n];
    try {
      for (int threads = 1; threads <= 3; threads++) {
        Kernels.setThreads(threads);
        float[] c = new float[m * n];
        Gemm.multiplyAbt(m, n, k, a, 0, b, 0, c, 0, b, n * k, Activation.RELU, ALPHA);
        if (threads == 1) {
          expected = c;
          if (VectorGemm.DOTS) {
            float[] plain = new float[m * n];
            PlainGemm.dots(m, n, k, a, 0, b, 0, plain, 0, Gemm.BIAS_ACT, b, n * k,
                Activation.RELU, ALPHA);
            org.junit.jupiter.api.Assertions.assertArrayEquals(plain, c, "the plain loop's");
          }
          continue;
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, c, threads + " threads");
        if (VectorGemm.DOTS) {
          float[] shared = new float[m * n];
          org.junit.jupiter.api.Assertions.assertTrue(DotsTask.tryShare(m, n, k, a, 0, b, 0,
              shared, 0, Gemm.BIAS_ACT, b, n * k, Activation.RELU, ALPHA),
              "shared on " + threads + " threads");
          org.junit.jupiter.api.Assertions.assertArrayEquals(expected, shared,
              threads + " threads, shared");
        }
      }
    } finally {
      Kernels.setThreads(1);
    }
  }

  /**
   * The micro-tile follows the vector width: 8 rows x 2 vectors at 512 bits; below, 6 x 2 or
   * the wide 2 x 4 ({@link VectorGemm#wideTile}). The build's capped runs (runtime/pom.xml,
   * executions vector-256, vector-256-wide and vector-128) name the width and tile they ask
   * for, and the kernels must then really use them, or those runs would only repeat the
   * default one.
   */
  @org.junit.jupiter.api.Test
  void microTileFollowsTheVectorWidth() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.vectorModulePresent(),
        "needs --add-modules jdk.incubator.vector");
    String capped = System.getProperty("annonet.test.vectorBits");
    int bits = capped != null ? Integer.parseInt(capped)
        : jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
    int lanes = bits / Float.SIZE;
    boolean wide = bits < 512 && VectorGemm.wideTile(Runtime.version().feature(),
        System.getProperty(VectorGemm.TILE_PROPERTY));
    org.junit.jupiter.api.Assertions.assertEquals(wide, VectorGemm.WIDE, "wide tile");
    org.junit.jupiter.api.Assertions.assertEquals((wide ? 4 : 2) * lanes, VectorGemm.NR,
        "columns per micro-tile at " + bits + " bits");
    org.junit.jupiter.api.Assertions.assertEquals(bits >= 512 ? 8 : wide ? 2 : 6, VectorGemm.MR,
        "rows per micro-tile at " + bits + " bits");
  }

  /** The wide tile is the default from Java 25 on; the property overrides it, or is refused. */
  @org.junit.jupiter.api.Test
  void wideTileByJavaVersionUnlessThePropertySaysOtherwise() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Kernels.vectorModulePresent(),
        "needs --add-modules jdk.incubator.vector");
    org.junit.jupiter.api.Assertions.assertFalse(VectorGemm.wideTile(17, null));
    org.junit.jupiter.api.Assertions.assertFalse(VectorGemm.wideTile(24, " "));
    org.junit.jupiter.api.Assertions.assertTrue(VectorGemm.wideTile(25, null));
    org.junit.jupiter.api.Assertions.assertTrue(VectorGemm.wideTile(17, "2x32"));
    org.junit.jupiter.api.Assertions.assertFalse(VectorGemm.wideTile(25, " 6x16 "));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> VectorGemm.wideTile(25, "8x8"));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("annonet.kernels.tile must be 6x16 or 2x32")
            && e.getMessage().contains("'8x8'"), e.getMessage());
  }

  static void assertUntouchedOutside(float[] before, float[] after, int off, int len) {
    for (int i = 0; i < before.length; i++) {
      if ((i < off || i >= off + len) && Float.floatToRawIntBits(before[i])
          != Float.floatToRawIntBits(after[i])) {
        throw new AssertionError("element " + i + " outside [" + off + ", " + (off + len)
            + ") was written");
      }
    }
  }
}
