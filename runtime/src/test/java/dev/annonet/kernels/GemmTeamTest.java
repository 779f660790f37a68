package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks that sharing products between threads gives the single-thread bits exactly. */
class GemmTeamTest {

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
}
