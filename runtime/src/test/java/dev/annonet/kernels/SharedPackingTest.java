package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The parts of a shared vector product pack each operand once between them ({@link
 * VectorGemm.SharedPacking}): the parts of a row range share its rows of A, the parts of a
 * column range its columns of B. Whichever part packs a sliver, in whatever order the parts run
 * or race, every part computes the bits of the product packed by one thread.
 */
class SharedPackingTest {

  @BeforeEach
  void vectorModule() {
    assumeTrue(Kernels.vectorModulePresent(), "the Vector API module is not present");
  }

  /** A product's operands and layout, and how its parts cut it. */
  private static final class Product {
    final int m;
    final int n;
    final int k;
    final boolean transA;
    final boolean transB;
    final int columnParts;
    final int rowParts;
    final float[] a;
    final float[] b;
    final VectorGemm.SharedPacking sharedA = VectorGemm.SharedPacking.ofA();
    final VectorGemm.SharedPacking sharedB = VectorGemm.SharedPacking.ofB();

    Product(int m, int n, int k, boolean transA, boolean transB, int columnParts,
        int rowParts) {
      this.m = m;
      this.n = n;
      this.k = k;
      this.transA = transA;
      this.transB = transB;
      this.columnParts = columnParts;
      this.rowParts = rowParts;
      SplittableRandom rnd = new SplittableRandom(m * 31L + n * 7L + k);
      a = Naive.random(rnd, m * k, 1);
      b = Naive.random(rnd, n * k, 1);
    }

    int parts() {
      return columnParts * rowParts;
    }

    /** Readies both shared packings for a new product: every sliver unclaimed. */
    void prepare() {
      sharedA.prepare(m, k, rowParts, GemmTask.ROW_UNIT);
      sharedB.prepare(n, k, columnParts, GemmTask.UNIT);
    }

    /** C computed whole by one thread, nothing shared. */
    float[] alone() {
      float[] c = new float[m * n];
      VectorGemm.multiply(m, n, k, a, 0, transA, b, 0, transB, c, 0, false, Gemm.STORE, null,
          0, Activation.IDENTITY, 0f, 0, m, 0, n, true, null, null);
      return c;
    }

    /** Part {@code p} (column range {@code p % columnParts}, as the team numbers them) into c. */
    void part(int p, float[] c) {
      int column = p % columnParts;
      int row = p / columnParts;
      VectorGemm.multiply(m, n, k, a, 0, transA, b, 0, transB, c, 0, false, Gemm.STORE, null,
          0, Activation.IDENTITY, 0f,
          GemmTask.rangeStart(m, GemmTask.ROW_UNIT, row, rowParts),
          GemmTask.rangeStart(m, GemmTask.ROW_UNIT, row + 1, rowParts),
          GemmTask.rangeStart(n, GemmTask.UNIT, column, columnParts),
          GemmTask.rangeStart(n, GemmTask.UNIT, column + 1, columnParts), true,
          VectorGemm.SharedPacking.appliesToA(m, n, k, transA) ? sharedA : null,
          VectorGemm.SharedPacking.appliesToB(m, n, k, transB) ? sharedB : null);
    }

    /** C from the parts run one after another, first to last. */
    float[] inOrder() {
      float[] c = new float[m * n];
      for (int p = 0; p < parts(); p++) {
        part(p, c);
      }
      return c;
    }
  }

  // Rows not a multiple of any MR (a short last sliver) and a multiple of 6 and 2 (a full last
  // sliver whose last k rows end at the end of A, where the vector copy must stop); columns not
  // a multiple of NR (a short last sliver of B); k of several slices; n past the 1024-column
  // block, so a part meets a slice packed already; both layouts of both operands (B stored
  // [k][n] is read in place when small, so these are not); W3's first layer at 64 threads.
  @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4} columns={5} rows={6}")
  @CsvSource({
    "130, 257, 300, false, true, 3, 1",
    "132, 257, 600, true, true, 3, 1",
    "132, 96, 520, true, true, 2, 1",
    "97, 1100, 40, true, true, 2, 1",
    "97, 2100, 70, false, true, 5, 1",
    "128, 256, 784, false, true, 8, 1",
    "400, 70, 300, false, false, 1, 4",
    "130, 257, 300, true, false, 3, 2",
    "100, 1100, 40, true, true, 2, 3",
    "250, 100, 520, false, false, 2, 5",
    "128, 256, 784, false, true, 8, 6",
  })
  void partsInAnyOrderGiveTheBitsOfOneThread(int m, int n, int k, boolean transA,
      boolean transB, int columnParts, int rowParts) {
    Product x = new Product(m, n, k, transA, transB, columnParts, rowParts);
    float[] expected = x.alone();
    assertTrue(VectorGemm.SharedPacking.appliesToA(m, n, k, transA));
    assertTrue(VectorGemm.SharedPacking.appliesToB(m, n, k, transB));
    // The last part first: it packs every slice of its row range's A and column range's B,
    // and the others of those ranges find them ready.
    x.prepare();
    float[] reversed = new float[m * n];
    for (int p = x.parts() - 1; p >= 0; p--) {
      x.part(p, reversed);
    }
    assertArrayEquals(expected, reversed, "parts run last to first");
    // All parts at once, released together so that they claim slivers of the same slices; the
    // same objects again, as the team reuses them.
    ExecutorService pool = Executors.newFixedThreadPool(x.parts());
    try {
      for (int round = 0; round < 20; round++) {
        x.prepare();
        float[] raced = new float[m * n];
        CyclicBarrier start = new CyclicBarrier(x.parts());
        List<Future<?>> done = new ArrayList<>();
        for (int p = 0; p < x.parts(); p++) {
          int part = p;
          done.add(pool.submit(() -> {
            start.await();
            x.part(part, raced);
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
        assertArrayEquals(expected, raced, "parts on " + x.parts() + " threads, round " + round);
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      pool.shutdown();
    }
  }

  /** The claims that cover a group of {@code rows} rows of A, starting on a sliver. */
  private static int aClaims(int rows) {
    int slivers = (rows + VectorGemm.MR - 1) / VectorGemm.MR;
    int perClaim = VectorGemm.SharedPacking.A_SLIVERS_PER_CLAIM;
    return (slivers + perClaim - 1) / perClaim;
  }

  @Test
  void packingAllUpFrontLeavesThePartsNothingToPack() {
    Product x = new Product(97, 300, 520, true, true, 3, 2);
    x.prepare();
    x.sharedA.packAll(x.a, 0, true, x.m, x.k);
    x.sharedB.packAll(x.b, 0, true, x.n, x.k);
    // Every sliver of every group of every slice is claimed already (k = 520 is three slices):
    // row ranges [0, 48) and [48, 97) of A, column ranges [0, 96), [96, 192), [192, 300) of B.
    for (int pc = 0; pc < x.k; pc += 174) {
      assertTrue(x.sharedA.claim(pc, 0) >= aClaims(48), "A, first rows, slice " + pc);
      assertTrue(x.sharedA.claim(pc, 48) >= aClaims(97 - 48),
          "A, last rows, slice " + pc);
      assertTrue(x.sharedB.claim(pc, 96) >= 96 / VectorGemm.NR, "B, middle, slice " + pc);
      assertTrue(x.sharedB.claim(pc, 192) >= (300 - 192 + VectorGemm.NR - 1) / VectorGemm.NR,
          "B, last columns, slice " + pc);
    }
    assertArrayEquals(x.alone(), x.inOrder());
  }

  @Test
  void eachRangePacksOnlyItsOwnSlivers() {
    Product x = new Product(97, 300, 520, true, true, 3, 2);
    x.prepare();
    // The first part (rows [0, 48), columns [0, 96)) packs its rows of A and columns of B;
    // the slivers of the other ranges stay unclaimed.
    x.part(0, new float[x.m * x.n]);
    assertEquals(aClaims(48), x.sharedA.claim(0, 0) - 1, "A's first rows, all packed");
    assertEquals(0, x.sharedA.claim(0, 48), "A's last rows untouched");
    assertEquals(96 / VectorGemm.NR, x.sharedB.claim(0, 0) - 1, "B's first columns, all packed");
    assertEquals(0, x.sharedB.claim(0, 96), "B's middle columns untouched");
    assertEquals(0, x.sharedB.claim(0, 192), "B's last columns untouched");
  }

  @ParameterizedTest(name = "stalled claim on {0}")
  @CsvSource({"A", "B"})
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aPartThatClaimedASliverAndStalledDoesNotHoldUpTheOthers(String operand) {
    Product x = new Product(130, 256, 600, false, true, 2, 2);
    float[] expected = x.alone();
    x.prepare();
    // A part claims the first sliver of the first k slice and is never heard from again.
    VectorGemm.SharedPacking stalled = operand.equals("A") ? x.sharedA : x.sharedB;
    assertEquals(0, stalled.claim(0, 0));
    long start = System.nanoTime();
    assertArrayEquals(expected, x.inOrder());
    assertTrue(System.nanoTime() - start >= VectorGemm.SharedPacking.WAIT_NANOS,
        "the parts waited for the stalled claim before packing for themselves");
  }

  @Test
  void thePropertyTurnsSharingOnOrOff() {
    assertTrue(GemmTask.sharedPacking(null));
    assertTrue(GemmTask.sharedPacking(" "));
    assertTrue(GemmTask.sharedPacking("on"));
    assertFalse(GemmTask.sharedPacking(" off "));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GemmTask.sharedPacking("no"));
    assertTrue(e.getMessage().contains(GemmTask.SHARED_PACKING_PROPERTY + " must be on or off"),
        e.getMessage());
  }

  @Test
  void onlyPackedOperandsOfProductsCutAcrossThemAreShared() {
    // W3's layers at 2 threads: its input layer, hidden layer and their weight gradients.
    assertTrue(GemmTask.sharesA(Gemm.Impl.VECTOR, 128, 256, 784, false, 2));
    assertTrue(GemmTask.sharesA(Gemm.Impl.VECTOR, 256, 784, 128, true, 2));
    assertTrue(GemmTask.sharesA(Gemm.Impl.VECTOR, 128, 256, 256, false, 8));
    // At 2 threads they are cut by columns only: each part packs its own columns of B.
    assertFalse(GemmTask.sharesB(Gemm.Impl.VECTOR, 128, 256, 784, true, 2));
    // At 64 threads W3's input layer has 8 column ranges of 6 row ranges each.
    assertEquals(48, GemmTask.partsFor(128, 256, 784, 64));
    assertTrue(GemmTask.sharesB(Gemm.Impl.VECTOR, 128, 256, 784, true, 64));
    assertTrue(GemmTask.sharesA(Gemm.Impl.VECTOR, 128, 256, 784, false, 64));
    // One column range (n of one unit): only B is shared, by the row ranges.
    assertFalse(GemmTask.sharesA(Gemm.Impl.VECTOR, 4096, 32, 256, false, 8));
    assertTrue(GemmTask.sharesB(Gemm.Impl.VECTOR, 4096, 32, 256, true, 8));
    // Read in place (small, A stored [k][m] or B stored [k][n]): nothing is packed to share.
    assertFalse(VectorGemm.SharedPacking.appliesToA(64, 64, 128, true));
    assertTrue(VectorGemm.SharedPacking.appliesToA(64, 64, 128, false));
    assertFalse(VectorGemm.SharedPacking.appliesToB(64, 64, 128, false));
    assertTrue(VectorGemm.SharedPacking.appliesToB(64, 64, 128, true));
    // Larger than the shared buffer may grow: packed per part, as before.
    assertFalse(VectorGemm.SharedPacking.appliesToA(8192, 1024, 1024, false));
    assertFalse(VectorGemm.SharedPacking.appliesToB(1024, 8192, 1024, true));
    assertFalse(GemmTask.sharesA(Gemm.Impl.TILED, 128, 256, 784, false, 2));
    assertFalse(GemmTask.sharesB(Gemm.Impl.TILED, 128, 256, 784, true, 64));
  }
}
