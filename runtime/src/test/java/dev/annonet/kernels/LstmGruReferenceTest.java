package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The LSTM and GRU kernels against PyTorch: forward values and every gradient of {@code
 * nn.LSTM} / {@code nn.GRU(3, 4, batch_first=True)} on a batch of 2 sequences of 5 steps,
 * written in float64 by {@code reference/rnn/make_rnn_reference.py}; and the parameter names
 * and shapes the kernels document against that layer's {@code state_dict}.
 */
class LstmGruReferenceTest {

  private static final int BATCH = 2;
  private static final int STEPS = 5;
  private static final int IN = 3;
  private static final int HIDDEN = 4;
  /** Where the layer's parameters start in p: not at 0, to catch a forgotten offset. */
  private static final int OFF = 3;
  /**
   * Float kernels against the float64 reference: {@code |actual - expected| <= ATOL + RTOL
   * |expected|}. The worst value seen used 9% of this bound (a few float roundings through five
   * steps).
   */
  private static final double ATOL = 1e-6;
  private static final double RTOL = 1e-5;

  @AfterEach
  void restorePath() {
    Kernels.forcePlain(false);
  }

  @ParameterizedTest(name = "{0} plain={1} allSteps={2}")
  @CsvSource({"LSTM, false, true", "LSTM, false, false", "LSTM, true, true",
      "LSTM, true, false", "GRU, false, true", "GRU, false, false", "GRU, true, true",
      "GRU, true, false"})
  void matchesPyTorch(RecurrentKind kind, boolean plain, boolean allSteps) {
    Kernels.forcePlain(plain);
    Reference ref = Reference.load(kind);
    float[] p = new float[OFF + kind.parameterCount(IN, HIDDEN) + 2];
    int at = OFF;
    for (String name : kind.names()) {
      float[] t = ref.floats("param." + name);
      System.arraycopy(t, 0, p, at, t.length);
      at += t.length;
    }
    float[] x = ref.floats("x");
    float[] out = new float[RecurrentKind.outLength(allSteps, BATCH, STEPS, HIDDEN)];
    float[] work = new float[kind.workSize(BATCH, STEPS, IN, HIDDEN)];
    kind.forward(x, p, OFF, out, allSteps, work, BATCH, STEPS, IN, HIDDEN);
    check("out", ref.values(allSteps ? "out" : "h_n"), out, 0);
    if (kind == RecurrentKind.LSTM) {
      check("c_n", ref.values("c_n"), work, Lstm.cellState(BATCH, STEPS, IN, HIDDEN, STEPS - 1));
    }

    String c = allSteps ? "all." : "last.";
    float[] dOut = ref.floats(allSteps ? "r_all" : "r_last");
    float[] g = new float[p.length];
    Arrays.fill(g, Float.NaN); // overwritten, never accumulated
    float[] dX = new float[x.length];
    kind.backward(dOut, allSteps, p, OFF, g, dX, work, BATCH, STEPS, IN, HIDDEN);
    at = OFF;
    for (String name : kind.names()) {
      double[] expected = ref.values(c + name);
      check(c + name, expected, g, at);
      at += expected.length;
    }
    check(c + "x", ref.values(c + "x"), dX, 0);
  }

  @ParameterizedTest
  @EnumSource(RecurrentKind.class)
  void parameterNamesAndShapesAreTheStateDicts(RecurrentKind kind) {
    Reference ref = Reference.load(kind);
    List<String> names = new ArrayList<>();
    List<int[]> shapes = new ArrayList<>();
    long count = 0;
    for (Map.Entry<String, int[]> e : ref.shapes.entrySet()) {
      if (e.getKey().startsWith("param.")) {
        names.add(e.getKey().substring("param.".length()));
        shapes.add(e.getValue());
        count += ref.values.get(e.getKey()).length;
      }
    }
    assertEquals(names, kind.names());
    int[][] documented = kind.shapes(IN, HIDDEN);
    assertEquals(shapes.size(), documented.length);
    for (int i = 0; i < documented.length; i++) {
      assertArrayEquals(shapes.get(i), documented[i], names.get(i));
    }
    assertEquals(count, kind.parameterCount(IN, HIDDEN));
  }

  private static void check(String what, double[] expected, float[] actual, int off) {
    double[] bound = new double[expected.length];
    for (int t = 0; t < bound.length; t++) {
      bound[t] = ATOL + RTOL * Math.abs(expected[t]);
    }
    GradientCheck.assertWithin(what, expected, actual, off, bound);
  }

  /** One reference file: tensors by name, in file order. */
  private static final class Reference {
    final Map<String, int[]> shapes = new LinkedHashMap<>();
    final Map<String, double[]> values = new LinkedHashMap<>();

    static Reference load(RecurrentKind kind) {
      String path = "/reference/rnn/" + kind.name().toLowerCase() + ".txt";
      Reference ref = new Reference();
      try (InputStream in = LstmGruReferenceTest.class.getResourceAsStream(path)) {
        assertNotNull(in, path);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (line.startsWith("#") || line.isBlank()) {
            continue;
          }
          String[] f = line.split(" ");
          ref.shapes.put(f[0], Arrays.stream(f[1].split("x")).mapToInt(Integer::parseInt)
              .toArray());
          ref.values.put(f[0], Arrays.stream(f, 2, f.length).mapToDouble(Double::parseDouble)
              .toArray());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return ref;
    }

    double[] values(String name) {
      double[] v = values.get(name);
      assertNotNull(v, name);
      return v;
    }

    /** A tensor the script drew in float32: its values are floats exactly. */
    float[] floats(String name) {
      double[] v = values(name);
      float[] f = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        f[i] = (float) v[i];
      }
      return f;
    }
  }
}
