package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Causal multi-head self-attention against PyTorch's {@code nn.MultiheadAttention} ({@code
 * reference/attention/make_attention_reference.py}), against central differences of {@code
 * sum(out * r)}, and for causality and the same bits at 1, 2 and 3 kernel threads.
 */
class AttentionTest {

  private static final String RESOURCE = "/reference/attention/attention_reference.txt";

  @AfterEach
  void restore() {
    Kernels.forcePlain(false);
    Kernels.setThreads(1);
  }

  /** One layer's parameters at offsets with gaps between them, as a generated model has. */
  private record Layout(int inW, int inB, int outW, int outB, int size) {
    static Layout of(int d) {
      int inW = 3;
      int inB = inW + 3 * d * d + 1;
      int outW = inB + 3 * d + 2;
      int outB = outW + d * d + 1;
      return new Layout(inW, inB, outW, outB, outB + d + 2);
    }
  }

  /** A layer of width d with parameters p at a Layout, and an input x {@code [batch][t][d]}. */
  private record Layer(int batch, int t, int d, int heads, Layout l, float[] p, float[] x) {
    static Layer random(int batch, int t, int d, int heads, long seed, double scale) {
      Layout l = Layout.of(d);
      SplittableRandom rnd = new SplittableRandom(seed);
      float[] p = Naive.random(rnd, l.size(), scale);
      return new Layer(batch, t, d, heads, l, p, Naive.random(rnd, batch * t * d, 1));
    }

    float[] newWork() {
      return new float[Attention.workSize(batch, t, d, heads)];
    }

    /** The output of a forward pass without activation, saving into work. */
    float[] forward(float[] work) {
      float[] out = new float[x.length];
      Attention.forward(x, p, l.inW(), l.inB(), l.outW(), l.outB(), out, work, batch, t, d,
          heads, Activation.IDENTITY, 0f);
      return out;
    }

    void backward(float[] dX, float[] g, float[] dOut, float[] work) {
      Attention.backward(dX, g, dOut, x, p, l.inW(), l.inB(), l.outW(), l.outB(), work, batch,
          t, d, heads, Activation.IDENTITY, 0f);
    }
  }

  /** The reference file's cases: each a map from tensor name to values, plus the sizes. */
  private static List<Map<String, double[]>> reference() throws IOException {
    InputStream in = AttentionTest.class.getResourceAsStream(RESOURCE);
    assertNotNull(in, RESOURCE + " is missing: run make_attention_reference.py next to it");
    List<Map<String, double[]>> cases = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] cells = line.split(" ");
        double[] values = new double[cells.length - 1];
        for (int i = 1; i < cells.length; i++) {
          values[i - 1] = Double.parseDouble(cells[i]);
        }
        if (cells[0].equals("case")) {
          cases.add(new HashMap<>());
        }
        cases.get(cases.size() - 1).put(cells[0], values);
      }
    }
    return cases;
  }

  private static float[] floats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  /**
   * Forward output and the five gradients of {@code sum(out * R)}, within float rounding of
   * torch's float64 values, which grows with the width of the sums: {@code 5e-7 d (1 + |ref|)},
   * on both paths and 1 and 2 threads.
   */
  @ParameterizedTest(name = "plain={0} threads={1}")
  @CsvSource({"false, 1", "true, 1", "false, 2"})
  void matchesPyTorch(boolean plain, int threads) throws IOException {
    Kernels.forcePlain(plain);
    Kernels.setThreads(threads);
    List<Map<String, double[]>> cases = reference();
    assertEquals(4, cases.size());
    for (Map<String, double[]> c : cases) {
      double[] size = c.get("case");
      int batch = (int) size[0];
      int t = (int) size[1];
      int d = (int) size[2];
      int heads = (int) size[3];
      String name = "batch " + batch + " T " + t + " d " + d + " heads " + heads + ": ";
      Layout l = Layout.of(d);
      float[] p = new float[l.size()];
      copy(c.get("in_proj_weight"), p, l.inW());
      copy(c.get("in_proj_bias"), p, l.inB());
      copy(c.get("out_proj.weight"), p, l.outW());
      copy(c.get("out_proj.bias"), p, l.outB());
      Layer layer = new Layer(batch, t, d, heads, l, p, floats(c.get("x")));
      float[] work = layer.newWork();
      float[] out = layer.forward(work);
      float[] g = new float[l.size()];
      float[] dX = new float[out.length];
      layer.backward(dX, g, floats(c.get("R")), work);
      double tol = 5e-7 * d;
      assertClose(name + "out", c.get("out"), out, 0, tol);
      assertClose(name + "d_x", c.get("d_x"), dX, 0, tol);
      assertClose(name + "d_in_proj_weight", c.get("d_in_proj_weight"), g, l.inW(), tol);
      assertClose(name + "d_in_proj_bias", c.get("d_in_proj_bias"), g, l.inB(), tol);
      assertClose(name + "d_out_proj.weight", c.get("d_out_proj.weight"), g, l.outW(), tol);
      assertClose(name + "d_out_proj.bias", c.get("d_out_proj.bias"), g, l.outB(), tol);
    }
  }

  private static void copy(double[] from, float[] to, int off) {
    for (int i = 0; i < from.length; i++) {
      to[off + i] = (float) from[i];
    }
  }

  private static void assertClose(String what, double[] expected, float[] actual, int off,
      double tol) {
    double[] bound = new double[expected.length];
    for (int i = 0; i < bound.length; i++) {
      bound[i] = tol * (1 + Math.abs(expected[i]));
    }
    GradientCheck.assertWithin(what, expected, actual, off, bound);
  }

  /**
   * Central differences of {@code L = sum(act(attention(prev(z))) * r)} in every parameter and
   * input, with an activation fused on the output and the previous layer's derivative fused
   * into dX.
   */
  @ParameterizedTest(name = "plain={0} batch={1} T={2} d={3} heads={4}")
  @CsvSource({"false, 2, 4, 6, 3", "true, 2, 4, 6, 3", "false, 1, 3, 4, 1",
      "false, 3, 6, 8, 2", "false, 1, 5, 40, 2"})
  void gradientsMatchCentralDifferences(boolean plain, int batch, int t, int d, int heads) {
    Kernels.forcePlain(plain);
    Activation prev = Activation.TANH;
    Activation act = Activation.SIGMOID;
    Layout l = Layout.of(d);
    SplittableRandom rnd = new SplittableRandom(batch * 1000L + t * 100 + d * 10 + heads);
    float[] p = Naive.random(rnd, l.size(), 0.6);
    float[] z = Naive.random(rnd, batch * t * d, 1.5);
    float[] r = Naive.random(rnd, batch * t * d, 1);
    float[] x = new float[z.length];
    float[] out = new float[z.length];
    float[] work = new float[Attention.workSize(batch, t, d, heads)];
    GradientCheck.Scalar loss = () -> {
      System.arraycopy(z, 0, x, 0, x.length);
      prev.applyInPlace(x, 0, x.length, 0f);
      Attention.forward(x, p, l.inW(), l.inB(), l.outW(), l.outB(), out, work, batch, t, d,
          heads, act, 0f);
      double sum = 0;
      for (int i = 0; i < out.length; i++) {
        sum += (double) out[i] * r[i];
      }
      return sum;
    };
    loss.value();
    float[] dOut = new float[out.length];
    for (int i = 0; i < out.length; i++) {
      dOut[i] = r[i] * act.derivativeFromOutput(out[i], 0f);
    }
    float[] g = new float[l.size()];
    java.util.Arrays.fill(g, Float.NaN); // overwritten, never accumulated
    float[] dZ = new float[z.length];
    Attention.backward(dZ, g, dOut, x, p, l.inW(), l.inB(), l.outW(), l.outB(), work, batch, t,
        d, heads, prev, 0f);
    GradientCheck.assertGradient("in_proj_weight", g, l.inW(), p, l.inW(), 3 * d * d, loss);
    GradientCheck.assertGradient("in_proj_bias", g, l.inB(), p, l.inB(), 3 * d, loss);
    GradientCheck.assertGradient("out_proj.weight", g, l.outW(), p, l.outW(), d * d, loss);
    GradientCheck.assertGradient("out_proj.bias", g, l.outB(), p, l.outB(), d, loss);
    GradientCheck.assertGradient("x", dZ, 0, z, 0, z.length, loss);
  }

  /** Changing position j's input changes no output before j: the masked scores are exactly 0. */
  @Test
  void outputsBeforeAPositionIgnoreIt() {
    int batch = 2;
    int t = 9;
    int d = 8;
    Layer layer = Layer.random(batch, t, d, 2, 5, 0.5);
    float[] work = layer.newWork();
    float[] before = layer.forward(work);
    int j = 5;
    for (int b = 0; b < batch; b++) {
      for (int c = 0; c < d; c++) {
        layer.x()[(b * t + j) * d + c] += 3f;
      }
    }
    float[] after = layer.forward(work);
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < t; i++) {
        for (int c = 0; c < d; c++) {
          int at = (b * t + i) * d + c;
          if (i < j) {
            assertEquals(before[at], after[at], 0f, "sample " + b + " position " + i);
          } else if (i == j) {
            assertTrue(before[at] != after[at], "position " + j + " sees its own input");
          }
        }
      }
    }
  }

  /** Large enough that the products and the pairs are shared; the same bits at any count. */
  @Test
  void sameBitsAtOneTwoAndThreeThreads() {
    Layer layer = Layer.random(8, 32, 64, 4, 6, 0.2);
    float[] dOut = Naive.random(new SplittableRandom(7), layer.x().length, 1);
    float[][] results = null;
    for (int threads = 1; threads <= 3; threads++) {
      Kernels.setThreads(threads);
      float[] work = layer.newWork();
      float[] out = layer.forward(work);
      float[] g = new float[layer.l().size()];
      float[] dX = new float[out.length];
      layer.backward(dX, g, dOut, work);
      if (results == null) {
        results = new float[][] {out, g, dX};
      } else {
        assertArrayEquals(results[0], out, "out at " + threads + " threads");
        assertArrayEquals(results[1], g, "parameter gradients at " + threads + " threads");
        assertArrayEquals(results[2], dX, "input gradient at " + threads + " threads");
      }
    }
  }

  @Test
  void rejectsHeadsNotDividingTheWidthAndAShortWorkBuffer() {
    float[] p = new float[Attention.parameterCount(6)];
    float[] x = new float[2 * 6];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Attention.forward(x, p, 0, 0, 0, 0, x.clone(), new float[1000], 1, 2, 6, 4,
            Activation.IDENTITY, 0f));
    assertTrue(e.getMessage().contains("width 6 is not divisible by 4 heads"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Attention.forward(x, p, 0, 0, 0, 0, x.clone(), new float[3], 1, 2, 6, 2,
            Activation.IDENTITY, 0f));
    assertTrue(e.getMessage().contains("(Attention.workSize)"), e.getMessage());
  }
}
