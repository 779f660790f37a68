package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the kernel team: shared products give the single-thread bits exactly, every kernel
 * shares the one team, small work stays on few threads, and the initial thread count is read
 * from the property, the environment or the cores.
 */
class KernelTeamTest {

  @AfterEach
  void oneThread() {
    Kernels.setThreads(1);
  }

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> s = Stream.builder();
    for (Gemm.Impl impl : new Gemm.Impl[] {Gemm.Impl.VECTOR, Gemm.Impl.TILED}) {
      if (impl == Gemm.Impl.VECTOR && !Kernels.vectorModulePresent()) {
        continue;
      }
      for (int threads : new int[] {2, 3}) {
        // Ragged sizes past the blocking; the last has n < 16, computed transposed.
        s.add(Arguments.of(impl, threads, 130, 257, 300));
        s.add(Arguments.of(impl, threads, 97, 1100, 40));
        s.add(Arguments.of(impl, threads, 1500, 10, 150));
      }
      // More threads than column units: rows are cut too (2 x 4 and 3 x 2 blocks, ragged).
      s.add(Arguments.of(impl, 8, 301, 64, 200));
      s.add(Arguments.of(impl, 7, 250, 90, 130));
    }
    return s.build();
  }

  @ParameterizedTest(name = "{0} threads={1} m={2} n={3} k={4}")
  @MethodSource("cases")
  void sharedProductsAreBitIdenticalToOneThread(Gemm.Impl impl, int threads, int m, int n,
      int k) {
    SplittableRandom rnd = new SplittableRandom(m + n + k);
    float[] a = Naive.random(rnd, m * k, 1);
    float[] bt = Naive.random(rnd, n * k, 1);
    float[] bias = Naive.random(rnd, n, 1);
    float[] y = Naive.random(rnd, m * n, 1);
    float[][] one = products(impl, m, n, k, a, bt, bias, y);
    Kernels.setThreads(threads);
    assertEquals(threads, Kernels.threads());
    float[][] shared = products(impl, m, n, k, a, bt, bias, y);
    assertEquals(3, Kernels.team().shared(), "products run on the team");
    for (int t = 0; t < one.length; t++) {
      assertArrayEquals(one[t], shared[t], "product " + t);
    }
  }

  /** The forward, dW-like and dX-like products on the same data. */
  private static float[][] products(Gemm.Impl impl, int m, int n, int k, float[] a, float[] bt,
      float[] bias, float[] y) {
    float[] abt = new float[m * n];
    Gemm.multiply(impl, m, n, k, a, 0, false, bt, 0, true, abt, 0, Gemm.BIAS_ACT, bias, 0,
        Activation.TANH, 0f);
    float[] atb = new float[m * n];
    // a read as [k][m], bt as [k][n].
    Gemm.multiply(impl, m, n, k, a, 0, true, bt, 0, false, atb, 0, Gemm.STORE, null, 0,
        Activation.IDENTITY, 0f);
    float[] ab = new float[m * n];
    Gemm.multiply(impl, m, n, k, a, 0, false, bt, 0, false, ab, 0, Gemm.DERIV, y, 0,
        Activation.SIGMOID, 0f);
    return new float[][] {abt, atb, ab};
  }

  @Test
  void aFailingPartIsReportedAndTheTeamStaysUsable() {
    Kernels.setThreads(2);
    int m = 64;
    int n = 256;
    int k = 256;
    float[] a = new float[m * k];
    float[] b = new float[n * k - 1]; // one short: the part holding the last column fails
    float[] c = new float[m * n];
    org.junit.jupiter.api.Assertions.assertThrows(ArrayIndexOutOfBoundsException.class,
        () -> Gemm.multiply(Gemm.Impl.TILED, m, n, k, a, 0, false, b, 0, true, c, 0,
            Gemm.STORE, null, 0, Activation.IDENTITY, 0f));
    float[] ok = new float[n * k];
    java.util.Arrays.fill(ok, 1f);
    java.util.Arrays.fill(a, 2f);
    Gemm.multiply(Gemm.Impl.TILED, m, n, k, a, 0, false, ok, 0, true, c, 0, Gemm.STORE, null,
        0, Activation.IDENTITY, 0f);
    for (float v : c) {
      assertEquals(2f * k, v, 0f);
    }
    assertEquals(2, Kernels.team().shared());
  }

  @Test
  void concurrentCallersGetTheirOwnResults() throws Exception {
    int batch = 64;
    int nIn = 300;
    int nOut = 260;
    SplittableRandom rnd = new SplittableRandom(9);
    float[] p = Naive.random(rnd, nOut * nIn + nOut, 1);
    float[][] xs = new float[4][];
    float[][] expected = new float[4][];
    for (int t = 0; t < 4; t++) {
      xs[t] = Naive.random(rnd, batch * nIn, 1);
      expected[t] = new float[batch * nOut];
      Dense.forward(xs[t], p, 0, nOut * nIn, expected[t], batch, nIn, nOut, Activation.RELU, 0f);
    }
    Kernels.setThreads(2);
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      Future<?>[] done = new Future<?>[4];
      for (int t = 0; t < 4; t++) {
        int which = t;
        done[t] = callers.submit(() -> {
          float[] out = new float[batch * nOut];
          for (int r = 0; r < 50; r++) {
            Dense.forward(xs[which], p, 0, nOut * nIn, out, batch, nIn, nOut, Activation.RELU,
                0f);
            assertArrayEquals(expected[which], out, "caller " + which + ", round " + r);
          }
          return null;
        });
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      callers.shutdown();
    }
  }

  @Test
  void productsAndConvolutionsShareOneTeam() {
    Kernels.setThreads(2);
    TaskTeam team = Kernels.team();
    SplittableRandom rnd = new SplittableRandom(4);
    int m = 64;
    int n = 256;
    int k = 256;
    float[] c = new float[m * n];
    Gemm.multiply(Gemm.Impl.TILED, m, n, k, Naive.random(rnd, m * k, 1), 0, false,
        Naive.random(rnd, n * k, 1), 0, true, c, 0, Gemm.STORE, null, 0, Activation.IDENTITY,
        0f);
    assertEquals(1, team.shared(), "the product ran on the team");
    int batch = 8;
    float[] in = Naive.random(rnd, batch * 3 * 16 * 16, 1);
    float[] p = Naive.random(rnd, 16 * 3 * 9 + 16, 1);
    float[] out = new float[batch * 16 * 16 * 16];
    Conv2d.forward(in, p, 0, 16 * 3 * 9, out, batch, 3, 16, 16, 16, 3, 1, 1, Activation.RELU,
        0f);
    assertEquals(2, team.shared(), "the convolution ran on the same team");
  }

  /**
   * A task that records which (part, parts) pairs ran, asking for {@code want} parts, at most
   * one per thread unless {@code capped} is false.
   */
  private static final class Recording extends TaskTeam.Task {
    final int want;
    final boolean capped;
    final ConcurrentLinkedQueue<String> ran = new ConcurrentLinkedQueue<>();

    Recording(int want) {
      this(want, true);
    }

    Recording(int want, boolean capped) {
      this.want = want;
      this.capped = capped;
    }

    @Override
    int parts(int threads) {
      return capped ? Math.min(threads, want) : want;
    }

    @Override
    void run(int part, int parts) {
      ran.add(part + "/" + parts);
    }
  }

  @Test
  void aTaskUsesOnlyThePartsItAsksFor() {
    Kernels.setThreads(3);
    Recording two = new Recording(2);
    assertTrue(Kernels.team().tryRun(two));
    assertEquals(java.util.Set.of("0/2", "1/2"), java.util.Set.copyOf(two.ran));
    assertEquals(2, two.ran.size());
    Recording one = new Recording(1);
    assertFalse(Kernels.team().tryRun(one), "one part is not worth the team");
    assertTrue(one.ran.isEmpty());
    TaskTeam.run(one);
    assertEquals(java.util.List.of("0/1"), java.util.List.copyOf(one.ran));
    Recording all = new Recording(99);
    assertTrue(Kernels.team().tryRun(all));
    assertEquals(java.util.Set.of("0/3", "1/3", "2/3"), java.util.Set.copyOf(all.ran));
  }

  @Test
  void morePartsThanThreadsAreEachRunOnce() {
    Kernels.setThreads(2);
    Recording five = new Recording(5, false);
    assertTrue(Kernels.team().tryRun(five));
    assertEquals(java.util.Set.of("0/5", "1/5", "2/5", "3/5", "4/5"),
        java.util.Set.copyOf(five.ran));
    assertEquals(5, five.ran.size(), "each part once: " + five.ran);
  }

  @Test
  void aSmallProductWakesFewerWorkersThanTheTeamHas() {
    Kernels.setThreads(8);
    // 2^20 multiply-adds: two parts of the 2^19 a part must have, whatever the team's size.
    assertEquals(2, GemmTask.partsFor(64, 128, 128, 8));
    assertEquals(8, GemmTask.partsFor(512, 1024, 512, 8));
    // n = 64: only two 32-column units to hand out, then each cut into four row ranges.
    assertEquals(2, GemmTask.columnPartsFor(1024, 64, 1024, 8));
    assertEquals(8, GemmTask.partsFor(1024, 64, 1024, 8));
    // W3's first layer (128 x 256 x 784): 8 column units; 16 threads cut the rows in two.
    assertEquals(16, GemmTask.partsFor(128, 256, 784, 16));
    assertEquals(2, GemmTask.partsFor(128, 256, 784, 2), "2 threads: columns only");
    // Rows are cut only while each part keeps 2^19 multiply-adds.
    assertEquals(4, GemmTask.partsFor(48, 64, 1024, 8), "2 columns x 2 row units");
    assertEquals(1, GemmTask.partsFor(100, 64, 100, 8));
    // A part finds its block from the part count alone: the column ranges come back from it.
    SplittableRandom rnd = new SplittableRandom(5);
    for (int i = 0; i < 2000; i++) {
      int m = 1 + rnd.nextInt(2000);
      int n = 1 + rnd.nextInt(3000);
      int k = 1 + rnd.nextInt(2000);
      int threads = 1 + rnd.nextInt(70);
      int parts = GemmTask.partsFor(m, n, k, threads);
      assertEquals(GemmTask.columnPartsFor(m, n, k, threads),
          GemmTask.columnPartsFor(m, n, k, parts), m + "x" + n + "x" + k + " on " + threads);
    }
  }

  @Test
  void theInitialThreadCountComesFromThePropertyTheEnvironmentOrTheCores() {
    assertEquals(6, Kernels.initialThreads(null, null, 6));
    assertEquals(6, Kernels.initialThreads(null, " ", 6));
    assertEquals(3, Kernels.initialThreads(null, "3", 6));
    assertEquals(1, Kernels.initialThreads("1", "3", 6), "the property wins");
    assertEquals(1, Kernels.initialThreads(null, null, 0), "at least one thread");
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> Kernels.initialThreads("two", null, 6));
    assertEquals("system property annonet.kernels.threads must be a whole number of threads, at"
        + " least 1, got 'two'; unset it to use all 6 cores", bad.getMessage());
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> Kernels.initialThreads(null, "0", 6));
    assertTrue(zero.getMessage().startsWith("environment variable ANNONET_KERNELS_THREADS"),
        zero.getMessage());
  }

  @Test
  void aWorkerSpinsThroughShortGapsAndParksAfterLongOnes() throws InterruptedException {
    Kernels.setThreads(2);
    TaskTeam team = Kernels.team();
    Thread caller = Thread.currentThread();
    Thread[] worker = new Thread[1];
    long[] finishedAt = new long[1];
    TaskTeam.Task nothing = new TaskTeam.Task() {
      @Override
      void run(int part, int parts) {
        // Parts are claimed: an empty part would be done by the caller before a spinning
        // worker saw the task, so each part lasts 20 us, well inside the spin time.
        long end = System.nanoTime() + 20_000;
        while (System.nanoTime() < end) {
          Thread.onSpinWait();
        }
        if (Thread.currentThread() != caller) {
          worker[0] = Thread.currentThread();
          finishedAt[0] = System.nanoTime();
        }
      }
    };
    // Within half the spin time of finishing its part, the worker is still spinning, not
    // parked. Checked only when the worker ran a part and the caller got back in time (a
    // waking caller can be late, and on a machine busy with other processes most attempts are:
    // so attempts go on for up to 5 seconds).
    int checked = 0;
    long giveUp = System.nanoTime() + 5_000_000_000L;
    while (checked < 5 && System.nanoTime() < giveUp) {
      finishedAt[0] = 0;
      assertTrue(team.tryRun(nothing));
      if (finishedAt[0] == 0) {
        continue;
      }
      Thread.State state = worker[0].getState();
      if (System.nanoTime() - finishedAt[0] < TaskTeam.SPIN_NANOS / 2) {
        assertEquals(Thread.State.RUNNABLE, state, "spinning between tasks");
        checked++;
      }
    }
    assertEquals("annonet-kernels-1", worker[0].getName());
    assertTrue(checked > 0, "the caller never came back within half the spin time");
    // Long after the spin time it parks (polled: a loaded machine may run it late).
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (worker[0].getState() == Thread.State.RUNNABLE && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(Thread.State.WAITING, worker[0].getState(), "parked once idle");
  }

  @Test
  void theCallerRunsThePartsOfAWorkerThatIsLate() throws InterruptedException {
    Kernels.setThreads(2);
    TaskTeam team = Kernels.team();
    Thread caller = Thread.currentThread();
    int[] byCaller = new int[1];
    TaskTeam.Task tiny = new TaskTeam.Task() {
      @Override
      void run(int part, int parts) {
        if (Thread.currentThread() == caller) {
          byCaller[0]++;
        }
      }
    };
    // After a long gap the worker is parked and takes tens of microseconds to wake; the
    // caller does not wait for it but claims the second part itself. (With parts assigned to
    // threads, the caller could never run both.)
    int both = 0;
    for (int attempt = 0; attempt < 50 && both == 0; attempt++) {
      Thread.sleep(3 * TaskTeam.SPIN_NANOS / 1_000_000);
      byCaller[0] = 0;
      assertTrue(team.tryRun(tiny));
      both += byCaller[0] == 2 ? 1 : 0;
    }
    assertEquals(1, both, "the caller never ran the late worker's part");
  }

  @Test
  void java17WithTheDefaultTrapLimitIsWarnedAbout() {
    String warning = Kernels.trapLimitWarning(17, 100);
    assertTrue(warning != null && warning.contains("-XX:PerMethodTrapLimit=1000")
        && warning.contains("Java 17"), warning);
    assertNull(Kernels.trapLimitWarning(17, 1000), "raised limit");
    assertNull(Kernels.trapLimitWarning(25, 100), "Java 25");
    assertNull(Kernels.trapLimitWarning(17, -1), "a JVM without the option");
  }
}
