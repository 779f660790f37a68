package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

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

  @Test
  void kernelsAllocateNothingAfterWarmUp() {
    Step big = new Step(4, 3, 28, 24, 6, 5, 1, 2);
    Step small = new Step(2, 2, 9, 11, 3, 3, 2, 1);
    Step pointwise = new Step(3, 4, 6, 6, 5, 1, 1, 0);
    for (int i = 0; i < 3; i++) {
      big.run();
      pointwise.run();
    }
    // The small shape fits in the buffers the big one grew: no warm-up of its own needed.
    assertEquals(0, bytes(small), "smaller shape after a bigger one");
    assertEquals(0, bytes(() -> {
      for (int i = 0; i < 5; i++) {
        big.run();
        small.run();
        pointwise.run();
      }
    }), "repeated steps");
  }

  @Test
  void measuringCanSeeAllocation() {
    // Guards the test above against a bean that always reports 0.
    long b = bytes(() -> Conv2dTest.offKink(new SplittableRandom(1), 1000));
    assertEquals(true, b >= 4000, "allocated " + b);
  }
}
