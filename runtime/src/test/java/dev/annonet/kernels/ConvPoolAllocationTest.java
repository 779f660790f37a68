package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Conv2d and Pool allocate nothing once their work buffers have grown to the largest shape. */
class ConvPoolAllocationTest {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static long allocated() {
    return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  /** Bytes allocated by {@code work}, less what measuring itself costs. */
  private static long bytes(Runnable work) {
    long empty0 = allocated();
    long empty1 = allocated();
    long before = allocated();
    work.run();
    long after = allocated();
    return after - before - (empty1 - empty0);
  }

  /**
   * The least of three measurements of {@code work}: a cost of every call shows in all three,
   * while a one-time JIT event (a late compilation or deoptimization) does not.
   */
  private static long quietest(Runnable work) {
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 3; round++) {
      least = Math.min(least, bytes(work));
    }
    return least;
  }

  /** A LeNet-like conv, ReLU and 2x2 max pool, plus an average pool, forward and backward. */
  private static final class Step implements Runnable {
    final int batch;
    final int inC;
    final int h;
    final int w;
    final int outC;
    final int k;
    final int stride;
    final int pad;
    final int oh;
    final int ow;
    final float[] x;
    final float[] p;
    final float[] g;
    final float[] out;
    final float[] dOut;
    final float[] dX;
    final float[] pooled;
    final int[] argmax;
    final float[] dPooled;

    Step(int batch, int inC, int h, int w, int outC, int k, int stride, int pad) {
      this.batch = batch;
      this.inC = inC;
      this.h = h;
      this.w = w;
      this.outC = outC;
      this.k = k;
      this.stride = stride;
      this.pad = pad;
      oh = Conv2d.outputSize(h, k, stride, pad);
      ow = Conv2d.outputSize(w, k, stride, pad);
      SplittableRandom rnd = new SplittableRandom(h * 31L + k);
      x = Naive.random(rnd, batch * inC * h * w, 1);
      p = Naive.random(rnd, outC * inC * k * k + outC, 0.3);
      g = new float[p.length];
      out = new float[batch * outC * oh * ow];
      dOut = new float[out.length];
      dX = new float[x.length];
      int pooledLen = batch * outC * ((oh - 2) / 2 + 1) * ((ow - 2) / 2 + 1);
      pooled = new float[pooledLen];
      argmax = new int[pooledLen];
      dPooled = Naive.random(rnd, pooledLen, 1);
    }

    @Override
    public void run() {
      int bOff = outC * inC * k * k;
      Conv2d.forward(x, p, 0, bOff, out, batch, inC, h, w, outC, k, stride, pad,
          Activation.RELU, 0f);
      Pool.maxForward(out, pooled, argmax, batch, outC, oh, ow, 2, 2);
      Pool.maxBackward(dPooled, argmax, out, dOut, batch, outC, oh, ow, 2, 2, Activation.RELU,
          0f);
      Conv2d.backwardParams(dOut, x, g, 0, bOff, batch, inC, h, w, outC, k, stride, pad);
      Conv2d.backwardInput(dOut, p, 0, x, dX, batch, inC, h, w, outC, k, stride, pad,
          Activation.TANH, 0f);
      Pool.avgForward(out, pooled, batch, outC, oh, ow, 2, 2);
      Pool.avgBackward(dPooled, out, dOut, batch, outC, oh, ow, 2, 2, Activation.IDENTITY, 0f);
    }
  }

  /**
   * Runs {@code step} in windows of 20 until a window allocates nothing (the interpreter and C1
   * box every Vector API value until C2 compiles the kernels) while the JIT compiled nothing;
   * returns the last window's bytes. Without the second condition, on a loaded machine C2 could
   * still be compiling a kernel when warm-up ended, and the window where its code replaced C1's
   * measured 88 bytes (3 of 6 JVMs).
   */
  private static long warmUp(Runnable step) {
    java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
    long last = -1;
    boolean compiling = true;
    for (int window = 0; window < 400 && (last != 0 || compiling); window++) {
      long jit0 = timed ? jit.getTotalCompilationTime() : 0;
      last = bytes(() -> {
        for (int r = 0; r < 20; r++) {
          step.run();
        }
      });
      compiling = timed && jit.getTotalCompilationTime() != jit0;
    }
    return last;
  }

  @ParameterizedTest(name = "threads={0}")
  @ValueSource(ints = {1, 2})
  void kernelsAllocateNothingAfterWarmUp(int threads) {
    Kernels.setThreads(threads);
    try {
      Step big = new Step(4, 3, 28, 24, 6, 5, 1, 2);
      // Stride 2 takes the im2col path even with the Vector API: its buffers are grown here.
      Step bigStrided = new Step(4, 3, 28, 24, 6, 5, 2, 2);
      Step small = new Step(2, 2, 9, 11, 3, 3, 2, 1);
      Step pointwise = new Step(3, 4, 6, 6, 5, 1, 1, 0);
      Step lenet = new Step(8, 6, 12, 12, 16, 5, 1, 0);
      // Another strided shape small enough for Gemm's simple loops, which the small shape's
      // products use: a first run of a never-taken branch may deoptimize, which allocates.
      Step tinyStrided = new Step(1, 1, 7, 7, 2, 3, 2, 1);
      // And one whose output (5 x 5) leaves pooling an odd last row and column, as the small
      // shape's 5 x 6 does: without it, the small shape's first run could take pooling's
      // never-seen branch and deoptimize (88 bytes, once in about fifteen runs).
      Step tinyOdd = new Step(1, 1, 9, 9, 2, 3, 2, 1);
      assertEquals(0, warmUp(() -> {
        big.run();
        bigStrided.run();
        tinyStrided.run();
        tinyOdd.run();
        pointwise.run();
        lenet.run();
      }), "still allocating after 8000 warm-up steps");
      // The small shape fits in the buffers the big ones grew: no warm-up of its own needed.
      assertEquals(0, bytes(small), "smaller shape after a bigger one");
      assertEquals(0, quietest(() -> {
        for (int i = 0; i < 5; i++) {
          big.run();
          small.run();
          pointwise.run();
          lenet.run();
        }
      }), "repeated steps");
    } finally {
      Kernels.setThreads(1);
    }
  }

  @Test
  void measuringCanSeeAllocation() {
    // Guards the test above against a bean that always reports 0.
    long b = bytes(() -> Conv2dTest.offKink(new SplittableRandom(1), 1000));
    assertEquals(true, b >= 4000, "allocated " + b);
  }
}
