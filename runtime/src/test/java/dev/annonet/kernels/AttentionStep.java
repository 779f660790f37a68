package dev.annonet.kernels;

import java.util.SplittableRandom;

/**
 * One attention layer's forward and backward on random parameters and data, with every buffer
 * made once: what {@link AllocationTest} and {@link AttentionBench} repeat. The parameters are
 * contiguous in PyTorch's state_dict order.
 */
final class AttentionStep {
  private final int batch;
  private final int t;
  private final int d;
  private final int heads;
  private final float[] p;
  private final float[] g;
  private final float[] x;
  private final float[] out;
  private final float[] dOut;
  private final float[] dX;
  private final float[] work;

  AttentionStep(int batch, int t, int d, int heads, long seed) {
    this.batch = batch;
    this.t = t;
    this.d = d;
    this.heads = heads;
    SplittableRandom rnd = new SplittableRandom(seed);
    p = Naive.random(rnd, Attention.parameterCount(d), 0.1);
    g = new float[p.length];
    x = Naive.random(rnd, batch * t * d, 1);
    out = new float[x.length];
    dOut = Naive.random(rnd, x.length, 1);
    dX = new float[x.length];
    work = new float[Attention.workSize(batch, t, d, heads)];
  }

  /** Forward, then backward with {@code inAct}'s derivative fused into dX. */
  void run(Activation inAct) {
    int inB = 3 * d * d;
    int outW = inB + 3 * d;
    int outB = outW + d * d;
    Attention.forward(x, p, 0, inB, outW, outB, out, work, batch, t, d, heads,
        Activation.IDENTITY, 0f);
    Attention.backward(dX, g, dOut, x, p, 0, inB, outW, outB, work, batch, t, d, heads, inAct,
        0f);
  }
}
