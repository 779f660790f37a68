package dev.annonet.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Stride-1 convolutions written with the JDK Vector API, without im2col; see {@link Conv2d}.
 *
 * <p>Loaded only when {@link Kernels#vectorApiAvailable()} is true. Each image is copied into a
 * zero-padded plane of width {@code wp = w + 2 pad}; an output position {@code (y, x)} is then
 * the "wide" index {@code q = y * wp + x}, and input element {@code r = (c, i, j)} of the
 * receptive field of q sits at {@code off[r] + q} with {@code off[r] = c * plane + i * wp + j}.
 * So the convolution is a matrix product whose right operand's row r is the contiguous run of
 * the padded image starting at {@code off[r]}: the micro-kernels load it straight from the
 * image, with no unfolding or packing. Wide positions with {@code x >= ow} are computed and
 * thrown away (forward) or given a zero gradient (backward); that costs {@code (k - 1) / wp}.
 *
 * <p>Every routine works on a range of images or on a block of the batch, so {@link Conv2d} can
 * share a call between threads; the summation order of each result depends only on the sizes
 * and the vector width, never on the split.
 */
final class VectorConv {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /** Floats of one image chunk the weight gradient keeps in the L1 cache at once. */
  private static final int CHUNK_FLOATS = 8192;

  private VectorConv() {}

  /** Per-thread scratch, grown on demand and then reused. */
  private static final class Work {
    int[] off = new int[0];
    float[] x = new float[0];
    float[] d = new float[0];
    float[] y = new float[0];
    /** The weights transposed, {@code [kk][outC]}, for {@link #backward6}. */
    float[] wt = new float[0];
    /** One vector's lanes, summed in order by {@link #reducePartials}. */
    final float[] lanes = new float[L];
    final Geometry g = new Geometry();
  }

  private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

  /** Sizes of a call in the wide layout, recomputed per call in the thread's own instance. */
  private static final class Geometry {
    int inC;
    int h;
    int w;
    int outC;
    int k;
    int pad;
    int hp;
    int wp;
    int plane;
    int oh;
    int ow;
    int kk;
    /** Wide positions holding outputs: {@code oh * wp}. */
    int positions;
    /** Stride between the channels of a wide output or gradient: room for whole blocks. */
    int ps;
    /** Floats of a padded image plus the slack the last blocks read past its end. */
    int xLen;

    Geometry set(int inC, int h, int w, int outC, int k, int pad) {
      this.inC = inC;
      this.h = h;
      this.w = w;
      this.outC = outC;
      this.k = k;
      this.pad = pad;
      hp = h + 2 * pad;
      wp = w + 2 * pad;
      plane = hp * wp;
      oh = hp - k + 1;
      ow = wp - k + 1;
      kk = inC * k * k;
      positions = oh * wp;
      ps = Math.max(roundUp(positions, 2 * L), 4 * L);
      xLen = inC * plane + ps + L;
      return this;
    }

    /** Fills {@code off[r]} for {@code r = (c * k + i) * k + j}. */
    int[] offsets(Work ws) {
      if (ws.off.length < kk) {
        ws.off = new int[kk];
      }
      int[] off = ws.off;
      int r = 0;
      for (int c = 0; c < inC; c++) {
        for (int i = 0; i < k; i++) {
          for (int j = 0; j < k; j++) {
            off[r++] = c * plane + i * wp + j;
          }
        }
      }
      return off;
    }
  }

  private static int roundUp(int n, int m) {
    return (n + m - 1) / m * m;
  }

  private static float[] grow(float[] a, int len) {
    return a.length >= len ? a : new float[len];
  }

  /**
   * Forward pass of images {@code [b0, b1)}: {@code out = act(conv(in) + bias)}; layouts as
   * {@link Conv2d#forward}, stride 1.
   */
  static void forward(float[] in, float[] p, int wOff, int bOff, float[] out, int b0, int b1,
      int inC, int h, int w, int outC, int k, int pad, Activation act, float alpha) {
    Work ws = WORK.get();
    Geometry g = ws.g.set(inC, h, w, outC, k, pad);
    int[] off = g.offsets(ws);
    ws.x = grow(ws.x, g.xLen);
    ws.y = grow(ws.y, outC * g.ps);
    float[] xs = ws.x;
    float[] ys = ws.y;
    int imageLen = inC * h * w;
    int outLen = outC * g.oh * g.ow;
    for (int b = b0; b < b1; b++) {
      padImage(in, b * imageLen, xs, 0, g);
      for (int o0 = 0; o0 < outC; ) {
        if (outC - o0 >= 8) {
          for (int q = 0; q < g.positions; q += 2 * L) {
            forward8(xs, off, g.kk, p, wOff, o0, outC, ys, g.ps, q);
          }
          o0 += 8;
        } else {
          for (int q = 0; q < g.positions; q += 4 * L) {
            // The last block may overlap the one before: it recomputes the same values.
            forward3(xs, off, g.kk, p, wOff, o0, outC, ys, g.ps, Math.min(q, g.ps - 4 * L));
          }
          o0 += 3;
        }
      }
      compact(ys, g, out, b * outLen, p, bOff, act, alpha);
    }
  }

  /**
   * Copies image {@code [inC][h][w]} at {@code inOff} into {@code xs} at {@code xOff} as
   * {@code [inC][hp][wp]} with zero borders, followed by zeros up to {@code xLen}.
   */
  private static void padImage(float[] in, int inOff, float[] xs, int xOff, Geometry g) {
    int imageLen = g.inC * g.h * g.w;
    if (g.pad == 0) {
      System.arraycopy(in, inOff, xs, xOff, imageLen);
      java.util.Arrays.fill(xs, xOff + imageLen, xOff + g.xLen, 0f);
      return;
    }
    java.util.Arrays.fill(xs, xOff, xOff + g.xLen, 0f);
    for (int c = 0; c < g.inC; c++) {
      for (int y = 0; y < g.h; y++) {
        System.arraycopy(in, inOff + (c * g.h + y) * g.w, xs,
            xOff + c * g.plane + (y + g.pad) * g.wp + g.pad, g.w);
      }
    }
  }

  /**
   * Copies one image's gradient {@code [outC][oh][ow]} at {@code dOff} into the wide layout
   * {@code [outC][ps]} at {@code dsOff}, zero at {@code x >= ow} and past the last row.
   */
  private static void wideGradient(float[] dOut, int dOff, float[] ds, int dsOff, Geometry g) {
    for (int o = 0; o < g.outC; o++) {
      int dst = dsOff + o * g.ps;
      int src = dOff + o * g.oh * g.ow;
      for (int y = 0; y < g.oh; y++) {
        System.arraycopy(dOut, src + y * g.ow, ds, dst + y * g.wp, g.ow);
        java.util.Arrays.fill(ds, dst + y * g.wp + g.ow, dst + (y + 1) * g.wp, 0f);
      }
      java.util.Arrays.fill(ds, dst + g.positions, dst + g.ps, 0f);
    }
  }

  /** {@code out[o][y][x] = act(ys[o][y * wp + x] + bias[o])} for one image. */
  private static void compact(float[] ys, Geometry g, float[] out, int outOff, float[] p,
      int bOff, Activation act, float alpha) {
    int ow = g.ow;
    boolean relu = act == Activation.RELU;
    int imageEnd = outOff + g.outC * g.oh * ow;
    int ysEnd = g.outC * g.ps;
    for (int o = 0; o < g.outC; o++) {
      float bias = p[bOff + o];
      FloatVector bv = FloatVector.broadcast(S, bias);
      int plane = outOff + o * g.oh * ow;
      for (int y = 0; y < g.oh; y++) {
        int src = o * g.ps + y * g.wp;
        int dst = plane + y * ow;
        if (ow >= L) {
          for (int x = 0; x < ow; x += L) {
            // The last vector may overlap the one before; it stores the same values again.
            int xx = Math.min(x, ow - L);
            FloatVector v = FloatVector.fromArray(S, ys, src + xx).add(bv);
            if (relu) {
              // Lanewise MAX is Math.max's: NaN stays NaN and -0 becomes 0, as in Activation.
              v = v.max(0f);
            }
            v.intoArray(out, dst + xx);
          }
        } else if (dst + L <= imageEnd && src + L <= ysEnd) {
          // A row narrower than a vector is written as one vector too: the lanes past it land
          // on the rows and planes after it, which are written later. (Lane by lane, Math.max
          // compiles to a branch that half the outputs mispredict.)
          FloatVector v = FloatVector.fromArray(S, ys, src).add(bv);
          if (relu) {
            v = v.max(0f);
          }
          v.intoArray(out, dst);
        } else {
          // The image's last rows: a whole vector would reach past the image (another
          // thread's) or past ys.
          for (int x = 0; x < ow; x++) {
            float v = ys[src + x] + bias;
            out[dst + x] = relu ? Math.max(v, 0f) : v;
          }
        }
      }
      if (!relu) {
        act.applyInPlace(out, plane, g.oh * ow, alpha);
      }
    }
  }

  /**
   * Output channels {@code o0 .. o0 + 7} (clamped to the last; the extra rows are not stored)
   * at wide positions {@code q .. q + 2L}: {@code ys[o][q] = sum_r w[o][r] xs[off[r] + q]}.
   */
  private static void forward8(float[] xs, int[] off, int kk, float[] p, int wOff, int o0,
      int outC, float[] ys, int ps, int q) {
    int last = outC - 1;
    int w0 = wOff + o0 * kk;
    int w1 = wOff + Math.min(o0 + 1, last) * kk;
    int w2 = wOff + Math.min(o0 + 2, last) * kk;
    int w3 = wOff + Math.min(o0 + 3, last) * kk;
    int w4 = wOff + Math.min(o0 + 4, last) * kk;
    int w5 = wOff + Math.min(o0 + 5, last) * kk;
    int w6 = wOff + Math.min(o0 + 6, last) * kk;
    int w7 = wOff + Math.min(o0 + 7, last) * kk;
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    FloatVector c60 = c00;
    FloatVector c61 = c00;
    FloatVector c70 = c00;
    FloatVector c71 = c00;
    for (int r = 0; r < kk; r++) {
      int xo = off[r] + q;
      FloatVector b0 = FloatVector.fromArray(S, xs, xo);
      FloatVector b1 = FloatVector.fromArray(S, xs, xo + L);
      FloatVector a = FloatVector.broadcast(S, p[w0 + r]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      a = FloatVector.broadcast(S, p[w1 + r]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      a = FloatVector.broadcast(S, p[w2 + r]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      a = FloatVector.broadcast(S, p[w3 + r]);
      c30 = a.fma(b0, c30);
      c31 = a.fma(b1, c31);
      a = FloatVector.broadcast(S, p[w4 + r]);
      c40 = a.fma(b0, c40);
      c41 = a.fma(b1, c41);
      a = FloatVector.broadcast(S, p[w5 + r]);
      c50 = a.fma(b0, c50);
      c51 = a.fma(b1, c51);
      a = FloatVector.broadcast(S, p[w6 + r]);
      c60 = a.fma(b0, c60);
      c61 = a.fma(b1, c61);
      a = FloatVector.broadcast(S, p[w7 + r]);
      c70 = a.fma(b0, c70);
      c71 = a.fma(b1, c71);
    }
    int y = o0 * ps + q;
    c00.intoArray(ys, y);
    c01.intoArray(ys, y + L);
    if (o0 + 1 <= last) {
      c10.intoArray(ys, y + ps);
      c11.intoArray(ys, y + ps + L);
    }
    if (o0 + 2 <= last) {
      c20.intoArray(ys, y + 2 * ps);
      c21.intoArray(ys, y + 2 * ps + L);
    }
    if (o0 + 3 <= last) {
      c30.intoArray(ys, y + 3 * ps);
      c31.intoArray(ys, y + 3 * ps + L);
    }
    if (o0 + 4 <= last) {
      c40.intoArray(ys, y + 4 * ps);
      c41.intoArray(ys, y + 4 * ps + L);
    }
    if (o0 + 5 <= last) {
      c50.intoArray(ys, y + 5 * ps);
      c51.intoArray(ys, y + 5 * ps + L);
    }
    if (o0 + 6 <= last) {
      c60.intoArray(ys, y + 6 * ps);
      c61.intoArray(ys, y + 6 * ps + L);
    }
    if (o0 + 7 <= last) {
      c70.intoArray(ys, y + 7 * ps);
      c71.intoArray(ys, y + 7 * ps + L);
    }
  }

  /** As {@link #forward8} for channels {@code o0 .. o0 + 2} at positions {@code q .. q + 4L}. */
  private static void forward3(float[] xs, int[] off, int kk, float[] p, int wOff, int o0,
      int outC, float[] ys, int ps, int q) {
    int last = outC - 1;
    int w0 = wOff + o0 * kk;
    int w1 = wOff + Math.min(o0 + 1, last) * kk;
    int w2 = wOff + Math.min(o0 + 2, last) * kk;
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c02 = c00;
    FloatVector c03 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c12 = c00;
    FloatVector c13 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c22 = c00;
    FloatVector c23 = c00;
    for (int r = 0; r < kk; r++) {
      int xo = off[r] + q;
      FloatVector b0 = FloatVector.fromArray(S, xs, xo);
      FloatVector b1 = FloatVector.fromArray(S, xs, xo + L);
      FloatVector b2 = FloatVector.fromArray(S, xs, xo + 2 * L);
      FloatVector b3 = FloatVector.fromArray(S, xs, xo + 3 * L);
      FloatVector a = FloatVector.broadcast(S, p[w0 + r]);
      c00 = a.fma(b0, c00);
      c01 = a.fma(b1, c01);
      c02 = a.fma(b2, c02);
      c03 = a.fma(b3, c03);
      a = FloatVector.broadcast(S, p[w1 + r]);
      c10 = a.fma(b0, c10);
      c11 = a.fma(b1, c11);
      c12 = a.fma(b2, c12);
      c13 = a.fma(b3, c13);
      a = FloatVector.broadcast(S, p[w2 + r]);
      c20 = a.fma(b0, c20);
      c21 = a.fma(b1, c21);
      c22 = a.fma(b2, c22);
      c23 = a.fma(b3, c23);
    }
    int y = o0 * ps + q;
    c00.intoArray(ys, y);
    c01.intoArray(ys, y + L);
    c02.intoArray(ys, y + 2 * L);
    c03.intoArray(ys, y + 3 * L);
    if (o0 + 1 <= last) {
      y += ps;
      c10.intoArray(ys, y);
      c11.intoArray(ys, y + L);
      c12.intoArray(ys, y + 2 * L);
      c13.intoArray(ys, y + 3 * L);
    }
    if (o0 + 2 <= last) {
      y += ps;
      c20.intoArray(ys, y);
      c21.intoArray(ys, y + L);
      c22.intoArray(ys, y + 2 * L);
      c23.intoArray(ys, y + 3 * L);
    }
  }

  /** Floats of the per-lane weight-gradient partial sums one block of the batch needs. */
  static int partialLength(int inC, int outC, int k) {
    int kk = inC * k * k;
    return (roundUp(outC, 4) * roundUp(kk, 4) + outC) * L;
  }

  /**
   * Per-lane partial sums of the parameter gradients over images {@code [b0, b1)}, written to
   * {@code part} at {@code partOff} ({@link #partialLength} floats): for each 4x4 tile of
   * (output channel, weight index) 16 vectors, then one vector per bias. Images are taken in
   * chunks that fit the L1 cache; within a chunk, images and positions are added in order.
   */
  static void weightPartials(float[] dOut, float[] in, int b0, int b1, int inC, int h, int w,
      int outC, int k, int pad, float[] part, int partOff) {
    Work ws = WORK.get();
    Geometry g = ws.g.set(inC, h, w, outC, k, pad);
    int[] off = g.offsets(ws);
    int perImage = g.xLen + outC * g.ps;
    int chunk = Math.max(1, Math.min(b1 - b0, CHUNK_FLOATS / perImage));
    ws.x = grow(ws.x, chunk * g.xLen);
    ws.d = grow(ws.d, chunk * outC * g.ps);
    float[] xs = ws.x;
    float[] ds = ws.d;
    int len = partialLength(inC, outC, k);
    java.util.Arrays.fill(part, partOff, partOff + len, 0f);
    int imageLen = inC * h * w;
    int outLen = outC * g.oh * g.ow;
    int tiles = roundUp(g.kk, 4) / 4;
    int biasOff = partOff + (len / L - outC) * L;
    int pl = roundUp(g.positions, L);
    for (int c0 = b0; c0 < b1; c0 += chunk) {
      int n = Math.min(chunk, b1 - c0);
      for (int i = 0; i < n; i++) {
        padImage(in, (c0 + i) * imageLen, xs, i * g.xLen, g);
        wideGradient(dOut, (c0 + i) * outLen, ds, i * outC * g.ps, g);
      }
      for (int o0 = 0; o0 < outC; o0 += 4) {
        for (int r0 = 0; r0 < g.kk; r0 += 4) {
          int t = partOff + ((o0 / 4) * tiles + r0 / 4) * 16 * L;
          weight44(xs, g.xLen, ds, outC * g.ps, g.ps, n, off, g.kk, pl, o0, r0, outC, part, t);
        }
      }
      for (int o = 0; o < outC; o++) {
        for (int i = 0; i < n; i++) {
          addLanes(ds, i * outC * g.ps + o * g.ps, pl, part, biasOff + o * L);
        }
      }
    }
  }

  /** Adds the vectors {@code ds[d .. d + pl)} to the lane vector {@code part[at ..]}. */
  private static void addLanes(float[] ds, int d, int pl, float[] part, int at) {
    FloatVector acc = FloatVector.fromArray(S, part, at);
    for (int q = 0; q < pl; q += L) {
      acc = acc.add(FloatVector.fromArray(S, ds, d + q));
    }
    acc.intoArray(part, at);
  }

  /**
   * Adds to the 16 lane vectors at {@code part[t ..]} the products of wide gradients of
   * channels {@code o0 .. o0 + 3} and padded-image runs {@code r0 .. r0 + 3} (both clamped to
   * the last), over {@code n} images and positions {@code [0, pl)}.
   */
  private static void weight44(float[] xs, int xStride, float[] ds, int dStride, int ps, int n,
      int[] off, int kk, int pl, int o0, int r0, int outC, float[] part, int t) {
    int lastO = outC - 1;
    int lastR = kk - 1;
    int d0 = o0 * ps;
    int d1 = Math.min(o0 + 1, lastO) * ps;
    int d2 = Math.min(o0 + 2, lastO) * ps;
    int d3 = Math.min(o0 + 3, lastO) * ps;
    int x0 = off[r0];
    int x1 = off[Math.min(r0 + 1, lastR)];
    int x2 = off[Math.min(r0 + 2, lastR)];
    int x3 = off[Math.min(r0 + 3, lastR)];
    FloatVector c00 = FloatVector.fromArray(S, part, t);
    FloatVector c01 = FloatVector.fromArray(S, part, t + L);
    FloatVector c02 = FloatVector.fromArray(S, part, t + 2 * L);
    FloatVector c03 = FloatVector.fromArray(S, part, t + 3 * L);
    FloatVector c10 = FloatVector.fromArray(S, part, t + 4 * L);
    FloatVector c11 = FloatVector.fromArray(S, part, t + 5 * L);
    FloatVector c12 = FloatVector.fromArray(S, part, t + 6 * L);
    FloatVector c13 = FloatVector.fromArray(S, part, t + 7 * L);
    FloatVector c20 = FloatVector.fromArray(S, part, t + 8 * L);
    FloatVector c21 = FloatVector.fromArray(S, part, t + 9 * L);
    FloatVector c22 = FloatVector.fromArray(S, part, t + 10 * L);
    FloatVector c23 = FloatVector.fromArray(S, part, t + 11 * L);
    FloatVector c30 = FloatVector.fromArray(S, part, t + 12 * L);
    FloatVector c31 = FloatVector.fromArray(S, part, t + 13 * L);
    FloatVector c32 = FloatVector.fromArray(S, part, t + 14 * L);
    FloatVector c33 = FloatVector.fromArray(S, part, t + 15 * L);
    // One flat loop over (image, position): C2 keeps the accumulators of a single loop in
    // registers, but boxes them when they cross a nested loop's phis.
    int xb = 0;
    int db = 0;
    int q = 0;
    for (int step = n * (pl / L); step > 0; step--) {
      FloatVector e0 = FloatVector.fromArray(S, ds, db + d0 + q);
      FloatVector e1 = FloatVector.fromArray(S, ds, db + d1 + q);
      FloatVector e2 = FloatVector.fromArray(S, ds, db + d2 + q);
      FloatVector e3 = FloatVector.fromArray(S, ds, db + d3 + q);
      FloatVector v = FloatVector.fromArray(S, xs, xb + x0 + q);
      c00 = e0.fma(v, c00);
      c10 = e1.fma(v, c10);
      c20 = e2.fma(v, c20);
      c30 = e3.fma(v, c30);
      v = FloatVector.fromArray(S, xs, xb + x1 + q);
      c01 = e0.fma(v, c01);
      c11 = e1.fma(v, c11);
      c21 = e2.fma(v, c21);
      c31 = e3.fma(v, c31);
      v = FloatVector.fromArray(S, xs, xb + x2 + q);
      c02 = e0.fma(v, c02);
      c12 = e1.fma(v, c12);
      c22 = e2.fma(v, c22);
      c32 = e3.fma(v, c32);
      v = FloatVector.fromArray(S, xs, xb + x3 + q);
      c03 = e0.fma(v, c03);
      c13 = e1.fma(v, c13);
      c23 = e2.fma(v, c23);
      c33 = e3.fma(v, c33);
      q += L;
      if (q == pl) {
        q = 0;
        xb += xStride;
        db += dStride;
      }
    }
    c00.intoArray(part, t);
    c01.intoArray(part, t + L);
    c02.intoArray(part, t + 2 * L);
    c03.intoArray(part, t + 3 * L);
    c10.intoArray(part, t + 4 * L);
    c11.intoArray(part, t + 5 * L);
    c12.intoArray(part, t + 6 * L);
    c13.intoArray(part, t + 7 * L);
    c20.intoArray(part, t + 8 * L);
    c21.intoArray(part, t + 9 * L);
    c22.intoArray(part, t + 10 * L);
    c23.intoArray(part, t + 11 * L);
    c30.intoArray(part, t + 12 * L);
    c31.intoArray(part, t + 13 * L);
    c32.intoArray(part, t + 14 * L);
    c33.intoArray(part, t + 15 * L);
  }

  /**
   * Overwrites the parameter gradients of output channels {@code [o0, o1)} from the partial
   * sums of {@code blocks} consecutive blocks at {@code part}: the blocks are added lane by lane
   * in order, then the lanes in order. Each channel's sums read only its own partials, so any
   * split of the channels gives the same bits.
   */
  static void reducePartials(float[] part, int blocks, float[] grad, int wOff, int bOff,
      int inC, int outC, int k, int o0, int o1) {
    float[] lanes = WORK.get().lanes;
    int kk = inC * k * k;
    int len = partialLength(inC, outC, k);
    int tiles = roundUp(kk, 4) / 4;
    for (int o = o0; o < o1; o++) {
      for (int r = 0; r < kk; r++) {
        int lane0 = (((o / 4) * tiles + r / 4) * 16 + (o % 4) * 4 + r % 4) * L;
        grad[wOff + o * kk + r] = sumLanes(part, lane0, blocks, len, lanes);
      }
    }
    int biasOff = (len / L - outC) * L;
    for (int o = o0; o < o1; o++) {
      grad[bOff + o] = sumLanes(part, biasOff + o * L, blocks, len, lanes);
    }
  }

  /** The lane vector at {@code at} of every block added in block order, then its lanes. */
  private static float sumLanes(float[] part, int at, int blocks, int len, float[] lanes) {
    FloatVector v = FloatVector.fromArray(S, part, at);
    for (int bl = 1; bl < blocks; bl++) {
      v = v.add(FloatVector.fromArray(S, part, bl * len + at));
    }
    v.intoArray(lanes, 0);
    float s = 0f;
    for (int l = 0; l < L; l++) {
      s += lanes[l];
    }
    return s;
  }

  /**
   * Input gradient of images {@code [b0, b1)} before the activation derivative: {@code
   * dIn[c][y][x] = sum over (o, i, j) of w[o][c][i][j] dOut[o][y - i + pad][x - j + pad]},
   * written over {@code dIn}; layouts as {@link Conv2d#backwardInput}, stride 1.
   */
  static void backwardInput(float[] dOut, float[] p, int wOff, float[] dIn, int b0, int b1,
      int inC, int h, int w, int outC, int k, int pad) {
    Work ws = WORK.get();
    Geometry g = ws.g.set(inC, h, w, outC, k, pad);
    int[] off = g.offsets(ws);
    ws.d = grow(ws.d, outC * g.ps);
    ws.y = grow(ws.y, g.xLen);
    float[] ds = ws.d;
    float[] dx = ws.y;
    ws.wt = grow(ws.wt, g.kk * outC);
    float[] wt = ws.wt;
    for (int o = 0; o < outC; o++) {
      for (int r = 0; r < g.kk; r++) {
        wt[r * outC + o] = p[wOff + o * g.kk + r];
      }
    }
    int imageLen = inC * h * w;
    int outLen = outC * g.oh * g.ow;
    int p2 = roundUp(g.positions, 2 * L);
    for (int b = b0; b < b1; b++) {
      wideGradient(dOut, b * outLen, ds, 0, g);
      java.util.Arrays.fill(dx, 0, g.xLen, 0f);
      for (int q = 0; q < p2; q += 2 * L) {
        for (int r0 = 0; r0 < g.kk; r0 += 6) {
          backward6(ds, g.ps, outC, wt, g.kk, off, r0, q, dx);
        }
      }
      int dst = b * imageLen;
      for (int c = 0; c < inC; c++) {
        for (int y = 0; y < h; y++) {
          System.arraycopy(dx, c * g.plane + (y + pad) * g.wp + pad, dIn,
              dst + (c * h + y) * w, w);
        }
      }
    }
  }

  /**
   * For weight indices {@code r0 .. r0 + 5} (those past the last are skipped) and wide
   * positions {@code q .. q + 2L}: {@code dx[off[r] + q] += sum_o w[o][r] ds[o][q]}, the
   * weights read from their transpose {@code wt} ({@code [kk][outC]}): the loop over o then
   * reads them at {@code r * outC + o}, whose bounds checks C2 takes out of the loop (read as
   * {@code o * kk + r} it kept six per step).
   */
  private static void backward6(float[] ds, int ps, int outC, float[] wt, int kk, int[] off,
      int r0, int q, float[] dx) {
    int lastR = kk - 1;
    int a0 = r0 * outC;
    int a1 = Math.min(r0 + 1, lastR) * outC;
    int a2 = Math.min(r0 + 2, lastR) * outC;
    int a3 = Math.min(r0 + 3, lastR) * outC;
    int a4 = Math.min(r0 + 4, lastR) * outC;
    int a5 = Math.min(r0 + 5, lastR) * outC;
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = c00;
    FloatVector c10 = c00;
    FloatVector c11 = c00;
    FloatVector c20 = c00;
    FloatVector c21 = c00;
    FloatVector c30 = c00;
    FloatVector c31 = c00;
    FloatVector c40 = c00;
    FloatVector c41 = c00;
    FloatVector c50 = c00;
    FloatVector c51 = c00;
    for (int o = 0; o < outC; o++) {
      int d = o * ps + q;
      FloatVector e0 = FloatVector.fromArray(S, ds, d);
      FloatVector e1 = FloatVector.fromArray(S, ds, d + L);
      FloatVector a = FloatVector.broadcast(S, wt[a0 + o]);
      c00 = a.fma(e0, c00);
      c01 = a.fma(e1, c01);
      a = FloatVector.broadcast(S, wt[a1 + o]);
      c10 = a.fma(e0, c10);
      c11 = a.fma(e1, c11);
      a = FloatVector.broadcast(S, wt[a2 + o]);
      c20 = a.fma(e0, c20);
      c21 = a.fma(e1, c21);
      a = FloatVector.broadcast(S, wt[a3 + o]);
      c30 = a.fma(e0, c30);
      c31 = a.fma(e1, c31);
      a = FloatVector.broadcast(S, wt[a4 + o]);
      c40 = a.fma(e0, c40);
      c41 = a.fma(e1, c41);
      a = FloatVector.broadcast(S, wt[a5 + o]);
      c50 = a.fma(e0, c50);
      c51 = a.fma(e1, c51);
    }
    addInto(dx, off[r0] + q, c00, c01);
    if (r0 + 1 <= lastR) {
      addInto(dx, off[r0 + 1] + q, c10, c11);
    }
    if (r0 + 2 <= lastR) {
      addInto(dx, off[r0 + 2] + q, c20, c21);
    }
    if (r0 + 3 <= lastR) {
      addInto(dx, off[r0 + 3] + q, c30, c31);
    }
    if (r0 + 4 <= lastR) {
      addInto(dx, off[r0 + 4] + q, c40, c41);
    }
    if (r0 + 5 <= lastR) {
      addInto(dx, off[r0 + 5] + q, c50, c51);
    }
  }

  private static void addInto(float[] dx, int at, FloatVector v0, FloatVector v1) {
    FloatVector.fromArray(S, dx, at).add(v0).intoArray(dx, at);
    FloatVector.fromArray(S, dx, at + L).add(v1).intoArray(dx, at + L);
  }
}
