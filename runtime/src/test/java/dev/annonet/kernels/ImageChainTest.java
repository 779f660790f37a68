package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A LeNet-like front (convolution, ReLU, 2x2 max pooling, twice) run as {@link ImageChain}
 * passes over ranges of images gives the bits of the same layers called one by one on the whole
 * batch, at 1, 2 and 3 threads, on the Vector API path and the plain one.
 */
class ImageChainTest {

  /** Sizes: 1x16x16 -> c1 6x12x12 -> p1 6x6x6 -> c2 8x4x4 (pad 1 on c2: 8x6x6) -> p2 8x3x3. */
  private static final int IN_C = 1;
  private static final int H = 16;
  private static final int C1 = 6;
  private static final int K1 = 5;
  private static final int H1 = 12;
  private static final int P1 = 6;
  private static final int C2 = 8;
  private static final int K2 = 3;
  private static final int PAD2 = 1;
  private static final int H2 = 6;
  private static final int P2 = 3;
  private static final int W1 = 0;
  private static final int B1 = W1 + C1 * IN_C * K1 * K1;
  private static final int W2 = B1 + C1;
  private static final int B2 = W2 + C2 * C1 * K2 * K2;
  private static final int PARAMS = B2 + C2;

  @AfterEach
  void restore() {
    Kernels.forcePlain(false);
    Kernels.setThreads(1);
  }

  /** Every buffer of one step: the layers' outputs, the gradients and the parameters'. */
  private static final class Step {
    final int batch;
    final float[] x;
    final float[] p;
    final float[] dP2;
    final float[] c1 ;
    final float[] p1;
    final int[] a1;
    final float[] c2;
    final float[] p2;
    final int[] a2;
    final float[] dC2;
    final float[] dP1;
    final float[] dC1;
    final float[] g = new float[PARAMS];
    float[] part1 = new float[0];
    float[] part2 = new float[0];

    Step(int batch, long seed) {
      this.batch = batch;
      Random r = new Random(seed);
      x = normal(r, batch * IN_C * H * H);
      p = normal(r, PARAMS);
      dP2 = normal(r, batch * C2 * P2 * P2);
      c1 = new float[batch * C1 * H1 * H1];
      p1 = new float[batch * C1 * P1 * P1];
      a1 = new int[p1.length];
      c2 = new float[batch * C2 * H2 * H2];
      p2 = new float[batch * C2 * P2 * P2];
      a2 = new int[p2.length];
      dC2 = new float[c2.length];
      dP1 = new float[p1.length];
      dC1 = new float[c1.length];
    }

    /** The layers one by one, each on the whole batch. */
    void byLayer() {
      Conv2d.forward(x, p, W1, B1, c1, batch, IN_C, H, H, C1, K1, 1, 0, Activation.RELU, 0f);
      Pool.maxForward(c1, p1, a1, batch, C1, H1, H1, 2, 2);
      Conv2d.forward(p1, p, W2, B2, c2, batch, C1, P1, P1, C2, K2, 1, PAD2, Activation.RELU, 0f);
      Pool.maxForward(c2, p2, a2, batch, C2, H2, H2, 2, 2);
      Pool.maxBackward(dP2, a2, c2, dC2, batch, C2, H2, H2, 2, 2, Activation.RELU, 0f);
      Conv2d.backwardParams(dC2, p1, g, W2, B2, batch, C1, P1, P1, C2, K2, 1, PAD2);
      Conv2d.backwardInput(dC2, p, W2, p1, dP1, batch, C1, P1, P1, C2, K2, 1, PAD2,
          Activation.IDENTITY, 0f);
      Pool.maxBackward(dP1, a1, c1, dC1, batch, C1, H1, H1, 2, 2, Activation.RELU, 0f);
      Conv2d.backwardParams(dC1, x, g, W1, B1, batch, IN_C, H, H, C1, K1, 1, 0);
    }

    void forward(float[] in, int from, int to, int n) {
      Conv2d.forward(in, p, W1, B1, c1, from, to, IN_C, H, H, C1, K1, 1, 0, Activation.RELU, 0f);
      Pool.maxForward(c1, p1, a1, from, to, C1, H1, H1, 2, 2);
      Conv2d.forward(p1, p, W2, B2, c2, from, to, C1, P1, P1, C2, K2, 1, PAD2, Activation.RELU,
          0f);
      Pool.maxForward(c2, p2, a2, from, to, C2, H2, H2, 2, 2);
    }

    void backward(float[] in, int from, int to, int n) {
      Pool.maxBackward(dP2, a2, c2, dC2, from, to, C2, H2, H2, 2, 2, Activation.RELU, 0f);
      Conv2d.weightPartials(dC2, p1, from, to, n, part2, C1, P1, P1, C2, K2, 1, PAD2);
      if (to - from == n) {
        Conv2d.reducePartials(part2, g, W2, B2, n, C1, C2, K2, 1);
      }
      Conv2d.backwardInput(dC2, p, W2, p1, dP1, from, to, C1, P1, P1, C2, K2, 1, PAD2,
          Activation.IDENTITY, 0f);
      Pool.maxBackward(dP1, a1, c1, dC1, from, to, C1, H1, H1, 2, 2, Activation.RELU, 0f);
      Conv2d.weightPartials(dC1, in, from, to, n, part1, IN_C, H, H, C1, K1, 1, 0);
      if (to - from == n) {
        Conv2d.reducePartials(part1, g, W1, B1, n, IN_C, C1, K1, 1);
      }
    }

    /**
     * The same layers as two passes over ranges of images, as generated models run them;
     * returns whether the backward pass was split.
     */
    boolean byChain() {
      long perImage = (long) C1 * H1 * H1 * IN_C * K1 * K1 + (long) C2 * H2 * H2 * C1 * K2 * K2;
      ImageChain.run(this::forward, x, batch, perImage);
      part1 = Conv2d.partialsFor(part1, batch, IN_C, C1, K1, 1);
      part2 = Conv2d.partialsFor(part2, batch, C1, C2, K2, 1);
      boolean split = ImageChain.run(this::backward, x, batch, 2 * perImage);
      if (split) {
        Conv2d.reducePartials(part2, g, W2, B2, batch, C1, C2, K2, 1);
        Conv2d.reducePartials(part1, g, W1, B1, batch, IN_C, C1, K1, 1);
      }
      return split;
    }

    void assertSameAs(Step o, String what) {
      assertArrayEquals(o.c1, c1, what + ": c1");
      assertArrayEquals(o.p1, p1, what + ": p1");
      assertArrayEquals(o.a1, a1, what + ": p1's argmax");
      assertArrayEquals(o.c2, c2, what + ": c2");
      assertArrayEquals(o.p2, p2, what + ": p2");
      assertArrayEquals(o.a2, a2, what + ": p2's argmax");
      assertArrayEquals(o.dC2, dC2, what + ": dC2");
      assertArrayEquals(o.dP1, dP1, what + ": dP1");
      assertArrayEquals(o.dC1, dC1, what + ": dC1");
      assertArrayEquals(o.g, g, what + ": parameter gradients");
    }
  }

  private static float[] normal(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }

  @ParameterizedTest(name = "batch {0}, plain {1}")
  @CsvSource({"64, false", "37, false", "2, false", "64, true", "37, true"})
  void passesOverRangesOfImagesGiveTheLayersBitsAtAnyThreadCount(int batch, boolean plain) {
    Kernels.forcePlain(plain);
    Kernels.setThreads(1);
    Step reference = new Step(batch, 7);
    reference.byLayer();
    for (int threads = 1; threads <= 3; threads++) {
      Kernels.setThreads(threads);
      Step chained = new Step(batch, 7);
      boolean split = chained.byChain();
      assertEquals(threads > 1, split, "backward pass split");
      if (split) {
        // Two images' forward pass is below the work worth sharing.
        assertEquals(batch >= 8 ? 2 : 1, Kernels.team().shared(),
            "the passes that split ran on the team as one task each");
      }
      chained.assertSameAs(reference, threads + " threads");
    }
  }

  @Test
  void rangeKernelsWriteOnlyTheirImages() {
    Step s = new Step(16, 3);
    Arrays.fill(s.c1, Float.NaN);
    Arrays.fill(s.p1, Float.NaN);
    Arrays.fill(s.dC1, Float.NaN);
    s.forward(s.x, 8, 12, 16);
    Pool.maxBackward(s.dP2, s.a2, s.c2, s.dC2, 8, 12, C2, H2, H2, 2, 2, Activation.RELU, 0f);
    Pool.maxBackward(s.dP1, s.a1, s.c1, s.dC1, 8, 12, C1, H1, H1, 2, 2, Activation.RELU, 0f);
    int plane1 = C1 * H1 * H1;
    int pooled1 = C1 * P1 * P1;
    for (int i = 0; i < s.c1.length; i++) {
      boolean mine = i >= 8 * plane1 && i < 12 * plane1;
      assertEquals(mine, !Float.isNaN(s.c1[i]), "c1 at " + i);
      assertEquals(mine, !Float.isNaN(s.dC1[i]), "dC1 at " + i);
    }
    for (int i = 0; i < s.p1.length; i++) {
      assertEquals(i >= 8 * pooled1 && i < 12 * pooled1, !Float.isNaN(s.p1[i]), "p1 at " + i);
    }
  }

  @Test
  void aRangeInsideABlockIsRefusedWithTheRule() {
    float[] part = new float[Conv2d.partialsLength(64, C1, C2, K2, 1)];
    Step s = new Step(64, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Conv2d.weightPartials(s.dC2, s.p1, 4, 64, 64, part, C1, P1, P1, C2, K2, 1, PAD2));
    assertTrue(e.getMessage().contains("image 4 of a batch of 64 is inside a block"),
        e.getMessage());
  }
}
