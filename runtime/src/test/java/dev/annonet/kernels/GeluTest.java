package dev.annonet.kernels;

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
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * GELU, both forms, against PyTorch's values and derivatives ({@code
 * reference/gelu/make_gelu_reference.py}), its derivative against central differences in double,
 * erf against an independent double reference, and the keep-the-input pair generated code uses.
 */
class GeluTest {

  private static final String RESOURCE = "/reference/gelu/gelu_reference.csv";

  /** Rows of the CSV: x, then torch's float64 and float32 columns. */
  private static List<double[]> reference() throws IOException {
    InputStream in = GeluTest.class.getResourceAsStream(RESOURCE);
    assertNotNull(in, RESOURCE + " is missing: run make_gelu_reference.py next to it");
    List<double[]> rows = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("#") || line.startsWith("x,")) {
          continue;
        }
        String[] cells = line.split(",");
        double[] row = new double[cells.length];
        for (int i = 0; i < cells.length; i++) {
          row[i] = Double.parseDouble(cells[i]);
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /**
   * Within 3e-7 relative (about two float ulps) of torch's float64 value, and within float
   * rounding of torch's own float32 one, whose tails lose digits to {@code 1 + erf} cancelling.
   */
  @Test
  void matchesPyTorch() throws IOException {
    List<double[]> rows = reference();
    assertTrue(rows.size() > 1000);
    Activation[] acts = {Activation.GELU, Activation.GELU_TANH};
    for (double[] row : rows) {
      float x = (float) row[0];
      for (int a = 0; a < 2; a++) {
        Activation act = acts[a];
        double[] ours = {act.apply(x, 0f), act.derivative(x, 0f)};
        for (int v = 0; v < 2; v++) {
          String what = act + (v == 0 ? " value" : " derivative") + " at x=" + x;
          double exact = row[1 + 2 * a + v];
          double single = row[5 + 2 * a + v];
          // Torch's 1 + erf cancels in double too (1e-16 absolute, so 0 at x = -10, where
          // GELU is -7.6e-23), and the derivative Phi(x) + x phi(x) cancels near its zero
          // (x = -0.75): absolute floors.
          double floor = v == 0 ? 1e-15 * Math.max(1, Math.abs(x)) : 3e-8;
          assertEquals(exact, ours[v], 3e-7 * Math.abs(exact) + floor, what + " vs float64");
          assertEquals(single, ours[v], 1e-6 * Math.abs(single) + 2e-6, what + " vs float32");
        }
      }
    }
  }

  @Test
  void derivativesMatchCentralDifferencesInDouble() {
    double h = 1e-5;
    for (int i = -800; i <= 800; i++) {
      double x = i / 100.0 + 0.003;
      double exact = (Erf.gelu(x + h) - Erf.gelu(x - h)) / (2 * h);
      assertEquals(exact, Erf.geluDerivative(x), 1e-6, "GELU' at " + x);
      double tanh = (tanhForm(x + h) - tanhForm(x - h)) / (2 * h);
      assertEquals(tanh, Activation.GELU_TANH.derivative((float) x, 0f),
          1e-6 + 1e-6 * Math.abs(tanh), "GELU tanh' at " + x);
    }
  }

  private static double tanhForm(double x) {
    return 0.5 * x * (1 + Math.tanh(Erf.geluTanhArgument(x)));
  }

  @Test
  void erfMatchesSeriesAndContinuedFraction() {
    for (int i = -6000; i <= 6000; i += 7) {
      double x = i / 1000.0;
      double e = Naive.erf(x);
      assertEquals(e, Erf.erf(x), 1.2e-7 * Math.abs(e) + 1e-300, "erf " + x);
      double c = Naive.erfc(x);
      assertEquals(c, Erf.erfc(x), 1.2e-7 * c, "erfc " + x);
    }
  }

  @Test
  void keepsItsInputAndMultipliesByTheDerivativeAtIt() {
    SplittableRandom rnd = new SplittableRandom(14);
    for (Activation act : new Activation[] {Activation.GELU, Activation.GELU_TANH}) {
      assertTrue(act.derivativeNeedsInput());
      assertThrows(UnsupportedOperationException.class, () -> act.derivativeFromOutput(1f, 0f));
      float[] z = Naive.random(rnd, 40, 4);
      float[] a = z.clone();
      float[] kept = new float[45];
      act.applyInPlaceKeepingInput(a, 3, kept, 5, 30, 0f);
      float[] d = Naive.random(rnd, 40, 1);
      float[] dBefore = d.clone();
      act.multiplyByDerivativeAt(d, 2, kept, 5, 30, 0f);
      for (int i = 0; i < 40; i++) {
        boolean inside = i >= 3 && i < 33;
        assertEquals(inside ? act.apply(z[i], 0f) : z[i], a[i], 0f, "value " + i);
        if (inside) {
          assertEquals(z[i], kept[i + 2], 0f, "kept input " + i);
        }
        boolean scaled = i >= 2 && i < 32;
        float expected = scaled ? dBefore[i] * act.derivative(kept[i + 3], 0f) : dBefore[i];
        assertEquals(expected, d[i], 0f, "gradient " + i);
      }
    }
    for (Activation act : Activation.values()) {
      if (act != Activation.GELU && act != Activation.GELU_TANH) {
        assertTrue(!act.derivativeNeedsInput(), act + " takes its derivative from the output");
      }
    }
  }
}
