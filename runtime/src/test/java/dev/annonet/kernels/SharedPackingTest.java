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
 * The parts of a shared vector product pack A once between them ({@link VectorGemm.SharedA}):
 * whichever part packs a sliver, in whatever order the parts run or race, every part computes
 * the bits of the product packed by one thread.
 */
class SharedPackingTest {

  @BeforeEach
  void vectorModule() {
    assumeTrue(Kernels.vectorModulePresent(), "the Vector API module is not present");
  }

  /** Column ranges of 32, as the team's parts cut them. */
  private static int[][] columnRanges(int n, int parts) {
    int units = (n + 31) / 32;
    int[][] r = new int[parts][];
    for (int p = 0; p < parts; p++) {
      r[p] = new int[] {Math.min(n, units * p / parts * 32),
          Math.min(n, units * (p + 1) / parts * 32)};
    }
    return r;
  }

  private static float[] alone(int m, int n, int k, float[] a, boolean transA, float[] b) {
    float[] c = new float[m * n];
    VectorGemm.multiply(m, n, k, a, 0, transA, b, 0, true, c, 0, false, Gemm.STORE, null, 0,
        Activation.IDENTITY, 0f, 0, m, 0, n, true, null);
    return c;
  }

  private static void part(int m, int n, int k, float[] a, boolean transA, float[] b, float[] c,
      int[] columns, VectorGemm.SharedA shared) {
    VectorGemm.multiply(m, n, k, a, 0, transA, b, 0, true, c, 0, false, Gemm.STORE, null, 0,
        Activation.IDENTITY, 0f, 0, m, columns[0], columns[1], true, shared);
  }

  /** Random A ({@code m * k} values) and B ({@code n * k}) from {@code seed}. */
  private static float[][] operands(long seed, int m, int n, int k) {
    SplittableRandom rnd = new SplittableRandom(seed);
    return new float[][] {Naive.random(rnd, m * k, 1), Naive.random(rnd, n * k, 1)};
  }

  /** A shared packing readied for an m x k A. */
  private static VectorGemm.SharedA prepared(int m, int k) {
    VectorGemm.SharedA shared = new VectorGemm.SharedA();
    shared.prepare(m, k);
    return shared;
  }

  /** C from the column parts run one after another, first to last. */
  private static float[] inOrder(int m, int n, int k, float[] a, boolean transA, float[] b,
      int parts, VectorGemm.SharedA shared) {
    float[] c = new float[m * n];
    for (int[] range : columnRanges(n, parts)) {
      part(m, n, k, a, transA, b, c, range, shared);
    }
    return c;
  }

  // Rows not a multiple of any MR (a short last sliver) and a multiple of 6 and 2 (a full last
  // sliver whose last k rows end at the end of A, where the vector copy must stop); k of
  // several slices; n past the 1024-column block, so a part meets a slice packed already.
  @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} parts={4}")
  @CsvSource({
    "130, 257, 300, false, 3",
    "132, 257, 600, true, 3",
    "132, 96, 520, true, 2",
    "97, 1100, 40, true, 2",
    "97, 2100, 70, false, 5",
    "128, 256, 784, false, 8",
  })
  void partsInAnyOrderGiveTheBitsOfOneThread(int m, int n, int k, boolean transA, int parts) {
    float[][] ab = operands(m * 31 + n + k, m, n, k);
    float[] a = ab[0];
    float[] b = ab[1];
    float[] expected = alone(m, n, k, a, transA, b);
    assertTrue(VectorGemm.SharedA.applies(m, n, k, transA));
    int[][] columns = columnRanges(n, parts);
    VectorGemm.SharedA shared = new VectorGemm.SharedA();
    // The last part first: it packs every slice, and the others find them ready.
    shared.prepare(m, k);
    float[] reversed = new float[m * n];
    for (int p = parts - 1; p >= 0; p--) {
      part(m, n, k, a, transA, b, reversed, columns[p], shared);
    }
    assertArrayEquals(expected, reversed, "parts run last to first");
    // All parts at once, released together so that they claim slivers of the same slices; the
    // same object again, as the team reuses it.
    ExecutorService pool = Executors.newFixedThreadPool(parts);
    try {
      for (int round = 0; round < 20; round++) {
        shared.prepare(m, k);
        float[] raced = new float[m * n];
        CyclicBarrier start = new CyclicBarrier(parts);
        List<Future<?>> done = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
          int[] range = columns[p];
          done.add(pool.submit(() -> {
            start.await();
            part(m, n, k, a, transA, b, raced, range, shared);
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
        assertArrayEquals(expected, raced, "parts on " + parts + " threads, round " + round);
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void packingAllUpFrontLeavesThePartsNothingToPack() {
    int m = 97;
    int n = 300;
    int k = 520;
    float[][] ab = operands(3, m, n, k);
    float[] a = ab[0];
    float[] b = ab[1];
    VectorGemm.SharedA shared = prepared(m, k);
    shared.packAll(a, 0, true, m, k);
    // Every sliver of every slice is claimed already (k = 520 is three slices).
    int slivers = (m + VectorGemm.MR - 1) / VectorGemm.MR;
    for (int pc = 0; pc < k; pc += 174) {
      assertTrue(shared.claim(pc) >= slivers, "slice at " + pc);
    }
    assertArrayEquals(alone(m, n, k, a, true, b), inOrder(m, n, k, a, true, b, 3, shared));
  }

  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aPartThatClaimedASliverAndStalledDoesNotHoldUpTheOthers() {
    int m = 130;
    int n = 256;
    int k = 600;
    float[][] ab = operands(5, m, n, k);
    float[] a = ab[0];
    float[] b = ab[1];
    float[] expected = alone(m, n, k, a, false, b);
    VectorGemm.SharedA shared = prepared(m, k);
    // A part claims the first sliver of the first k slice and is never heard from again.
    assertEquals(0, shared.claim(0));
    long start = System.nanoTime();
    assertArrayEquals(expected, inOrder(m, n, k, a, false, b, 2, shared));
    assertTrue(System.nanoTime() - start >= VectorGemm.SharedA.WAIT_NANOS,
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
  void onlyPackedAsOfProductsCutByColumnsAreShared() {
    // W3's layers at 2 threads: its input layer, hidden layer and their weight gradients.
    assertTrue(GemmTask.sharesA(Gemm.Impl.VECTOR, 128, 256, 784, false, 2));
    assertTrue(GemmTask.sharesA(Gemm.Impl.VECTOR, 256, 784, 128, true, 2));
    assertTrue(GemmTask.sharesA(Gemm.Impl.VECTOR, 128, 256, 256, false, 8));
    // One column range (n of one unit): each row range packs only its own rows already.
    assertFalse(GemmTask.sharesA(Gemm.Impl.VECTOR, 4096, 32, 256, false, 8));
    // A read in place (small, stored [k][m]): nothing is packed to share.
    assertFalse(VectorGemm.SharedA.applies(64, 64, 128, true));
    assertTrue(VectorGemm.SharedA.applies(64, 64, 128, false));
    // Larger than the shared buffer may grow: packed per part, as before.
    assertFalse(VectorGemm.SharedA.applies(8192, 1024, 1024, false));
    assertFalse(GemmTask.sharesA(Gemm.Impl.TILED, 128, 256, 784, false, 2));
  }
}
