package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient checks of the LSTM and GRU kernels against central differences of {@code L =
 * sum(out * r)} for a random r, every parameter tensor and the input, on both paths; and their
 * results at 1, 2 and 3 kernel threads, which must be the same bits.
 */
class LstmGruGradientTest {

  @AfterEach
  void restore() {
    Kernels.forcePlain(false);
    Kernels.setThreads(1);
  }

  static Stream<Arguments> cases() {
    Stream.Builder<Arguments> s = Stream.builder();
    // {batch, steps, nIn, hidden}: tiny, one step, and one whose products leave the simple loops.
    int[][] sizes = {{3, 4, 5, 6}, {2, 1, 3, 2}, {2, 3, 7, 20}};
    for (RecurrentKind kind : RecurrentKind.values()) {
      for (boolean plain : new boolean[] {false, true}) {
        for (boolean allSteps : new boolean[] {true, false}) {
          for (int[] z : sizes) {
            s.add(Arguments.of(kind, plain, allSteps, z[0], z[1], z[2], z[3]));
          }
        }
      }
    }
    return s.build();
  }

  @ParameterizedTest(name = "{0} plain={1} allSteps={2} batch={3} steps={4} nIn={5} hidden={6}")
  @MethodSource("cases")
  void gradientsMatchCentralDifferences(RecurrentKind kind, boolean plain, boolean allSteps,
      int batch, int steps, int nIn, int hidden) {
    Kernels.forcePlain(plain);
    int off = 5;
    int count = kind.parameterCount(nIn, hidden);
    SplittableRandom rnd = new SplittableRandom(batch * 1000L + steps * 100 + nIn * 10 + hidden);
    float[] p = Naive.random(rnd, off + count + 1, 0.5);
    float[] x = Naive.random(rnd, batch * steps * nIn, 1);
    float[] r = Naive.random(rnd, RecurrentKind.outLength(allSteps, batch, steps, hidden), 1);
    float[] out = new float[r.length];
    float[] work = new float[kind.workSize(batch, steps, nIn, hidden)];
    GradientCheck.Scalar loss = () -> {
      kind.forward(x, p, off, out, allSteps, work, batch, steps, nIn, hidden);
      double sum = 0;
      for (int t = 0; t < out.length; t++) {
        sum += (double) out[t] * r[t];
      }
      return sum;
    };
    loss.value();
    float[] g = new float[p.length];
    float[] dX = new float[x.length];
    kind.backward(r, allSteps, p, off, g, dX, work, batch, steps, nIn, hidden);

    int at = off;
    int[][] shapes = kind.shapes(nIn, hidden);
    for (int i = 0; i < shapes.length; i++) {
      int len = shapes[i].length == 2 ? shapes[i][0] * shapes[i][1] : shapes[i][0];
      GradientCheck.assertGradient(kind.names().get(i), g, at, p, at, len, loss);
      at += len;
    }
    GradientCheck.assertGradient("x", dX, 0, x, 0, x.length, loss);
  }

  static Stream<Arguments> paths() {
    Stream.Builder<Arguments> s = Stream.builder();
    for (RecurrentKind kind : RecurrentKind.values()) {
      for (boolean plain : new boolean[] {false, true}) {
        s.add(Arguments.of(kind, plain));
      }
    }
    return s.build();
  }

  /** Sizes whose per-step products, input projection and weight gradients are all shared. */
  @ParameterizedTest(name = "{0} plain={1}")
  @MethodSource("paths")
  void resultsAreBitIdenticalAtOneTwoAndThreeThreads(RecurrentKind kind, boolean plain) {
    Kernels.forcePlain(plain);
    int batch = 16;
    int steps = 6;
    int nIn = 40;
    int hidden = 160;
    SplittableRandom rnd = new SplittableRandom(14);
    float[] p = Naive.random(rnd, kind.parameterCount(nIn, hidden), 0.1);
    float[] x = Naive.random(rnd, batch * steps * nIn, 1);
    float[] dOut = Naive.random(rnd, batch * steps * hidden, 1);
    float[][] one = run(kind, 1, p, x, dOut, batch, steps, nIn, hidden);
    for (int threads : new int[] {2, 3}) {
      float[][] shared = run(kind, threads, p, x, dOut, batch, steps, nIn, hidden);
      assertTrue(Kernels.team().shared() > 0, "products run on the team");
      for (int i = 0; i < one.length; i++) {
        assertArrayEquals(one[i], shared[i], threads + " threads, result " + i);
      }
    }
  }

  /** out, g and dX of one forward and backward pass at {@code threads} kernel threads. */
  private static float[][] run(RecurrentKind kind, int threads, float[] p, float[] x,
      float[] dOut, int batch, int steps, int nIn, int hidden) {
    Kernels.setThreads(threads);
    float[] out = new float[dOut.length];
    float[] g = new float[p.length];
    float[] dX = new float[x.length];
    float[] work = new float[kind.workSize(batch, steps, nIn, hidden)];
    kind.forward(x, p, 0, out, true, work, batch, steps, nIn, hidden);
    kind.backward(dOut, true, p, 0, g, dX, work, batch, steps, nIn, hidden);
    return new float[][] {out, g, dX};
  }
}
