package dev.annonet.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.data.Dataset;
import dev.annonet.optim.Sgd;
import dev.annonet.train.History;
import dev.annonet.train.Trainer;
import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loss-curve PNGs from a real training history: written, decodable, sized, and drawn. */
class LinePlotTest {

  @TempDir Path dir;

  private static History history(int epochs) {
    Dataset.Split split = LineModel.line(200).split(0.25, 3);
    return Trainer.of(new LineModel())
        .optimizer(Sgd.defaults().lr(0.02f))
        .batchSize(20)
        .epochs(epochs)
        .validation(split.test())
        .quiet()
        .fit(split.train())
        .history();
  }

  /** Pixels within a small distance of {@code color} (anti-aliasing blends line edges only). */
  private static int pixelsOf(BufferedImage image, Color color) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        Color c = new Color(image.getRGB(x, y));
        int d = Math.abs(c.getRed() - color.getRed()) + Math.abs(c.getGreen() - color.getGreen())
            + Math.abs(c.getBlue() - color.getBlue());
        if (d <= 6) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void lossCurvesPngDecodesAtTheRequestedSizeWithBothCurvesDrawn() throws Exception {
    History history = history(15);
    LinePlot plot = LinePlot.lossCurves(history).size(640, 400);
    assertEquals(List.of("train", "validation"), plot.names());
    Path file = plot.writePng(dir.resolve("nested/loss.png"));
    assertTrue(Files.size(file) > 1000, "PNG of " + Files.size(file) + " bytes");
    BufferedImage image = ImageIO.read(file.toFile());
    assertNotNull(image, "ImageIO cannot decode " + file);
    assertEquals(640, image.getWidth());
    assertEquals(400, image.getHeight());
    int white = pixelsOf(image, Color.WHITE);
    int total = 640 * 400;
    assertTrue(white < total * 0.97, "only " + (total - white) + " non-white pixels");
    int train = pixelsOf(image, LinePlot.PALETTE[0]);
    int validation = pixelsOf(image, LinePlot.PALETTE[1]);
    // Each curve spans the plot's width in a 2-pixel line, its markers and its legend entry.
    assertTrue(train > 400, "train curve pixels " + train);
    assertTrue(validation > 400, "validation curve pixels " + validation);
    assertTrue(GraphicsEnvironment.isHeadless());
  }

  @Test
  void withoutValidationOnlyTheTrainCurveIsDrawn() {
    Dataset data = LineModel.line(50);
    History history = Trainer.of(new LineModel()).optimizer(Sgd.defaults().lr(0.05f))
        .epochs(3).quiet().fit(data).history();
    LinePlot plot = LinePlot.lossCurves(history);
    assertEquals(List.of("train"), plot.names());
    BufferedImage image = plot.render();
    assertEquals(800, image.getWidth());
    assertEquals(500, image.getHeight());
    assertTrue(pixelsOf(image, LinePlot.PALETTE[0]) > 400);
    assertEquals(0, pixelsOf(image, LinePlot.PALETTE[1]));
  }

  @Test
  void logScaleDrawsTheSameCurvesDifferently() {
    History history = history(15);
    BufferedImage linear = LinePlot.lossCurves(history).size(400, 300).render();
    BufferedImage log = LinePlot.lossCurves(history).size(400, 300).logScale(true).render();
    int differing = 0;
    for (int y = 0; y < 300; y++) {
      for (int x = 0; x < 400; x++) {
        differing += linear.getRGB(x, y) != log.getRGB(x, y) ? 1 : 0;
      }
    }
    assertTrue(differing > 1000, differing + " pixels differ");
  }

  @Test
  void nonFinitePointsAreLeftOutAndManyCurvesGetTheirOwnColours() {
    LinePlot plot = LinePlot.titled("runs").size(500, 300);
    for (int k = 0; k < 7; k++) {
      plot.add("run " + k, new double[] {4 + k, 2 + k, 1 + k, Double.NaN, 0.5 + k,
          Double.POSITIVE_INFINITY});
    }
    BufferedImage image = plot.render();
    for (int k = 0; k < 7; k++) {
      assertTrue(pixelsOf(image, LinePlot.PALETTE[k]) > 50, "curve " + k);
    }
  }

  /** The series that carry the legend, in the legend's order. */
  private static List<XYSeries> legend(XYChart chart) {
    return chart.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).toList();
  }

  /** A curve falling from 2.56 to 0.0138 over epochs 0..30, as the optimizer comparison's. */
  private static double[] falling(double scale) {
    double[] y = new double[31];
    for (int i = 0; i < y.length; i++) {
      y[i] = scale * (0.0138 + 2.5462 * Math.exp(-i / 4.0));
    }
    return y;
  }

  @Test
  void everyCurveHasItsOwnColourDashAndMarkerInTheLegendOutsideThePlot() {
    LinePlot plot = LinePlot.titled("seven").logScale(true);
    for (int k = 0; k < 7; k++) {
      plot.add("curve " + k, falling(1 + 0.001 * k));
    }
    XYChart chart = plot.chart();
    assertEquals(Styler.LegendPosition.OutsideE, chart.getStyler().getLegendPosition());
    List<XYSeries> legend = legend(chart);
    assertEquals(plot.names(), legend.stream().map(XYSeries::getLabel).toList());
    Set<Object> strokes = new HashSet<>();
    Set<Object> markers = new HashSet<>();
    Set<Object> colours = new HashSet<>();
    for (XYSeries s : legend) {
      strokes.add(java.util.Arrays.toString(s.getLineStyle().getDashArray()));
      markers.add(s.getMarker().getClass());
      colours.add(s.getLineColor());
    }
    assertEquals(7, strokes.size(), "dash patterns " + strokes);
    assertEquals(7, markers.size(), "marker shapes " + markers);
    assertEquals(7, colours.size(), "colours " + colours);
  }

  @Test
  void markersAreThinnedAndCurvesOnTopOfEachOtherMarkDifferentPoints() {
    LinePlot plot = LinePlot.titled("same").add("a", falling(1)).add("b", falling(1));
    XYChart chart = plot.chart();
    // Two series per curve: the line, without legend entry or marker, and its markers.
    assertEquals(4, chart.getSeriesMap().size());
    List<XYSeries> legend = legend(chart);
    int step = LinePlot.markerStep(31);
    assertEquals(3, step);
    Set<Integer> markedA = marked(legend.get(0));
    Set<Integer> markedB = marked(legend.get(1));
    assertEquals(11, markedA.size(), "markers of a at " + markedA);
    assertEquals(10, markedB.size(), "markers of b at " + markedB);
    assertTrue(markedA.stream().noneMatch(markedB::contains), markedA + " and " + markedB);
    for (XYSeries s : chart.getSeriesMap().values()) {
      if (!s.isShowInLegend()) {
        assertEquals("None", s.getMarker().getClass().getSimpleName());
        assertEquals(31, java.util.Arrays.stream(s.getYData()).filter(Double::isFinite).count());
      }
    }
    // Few points: each carries its marker, one series per curve.
    LinePlot few = LinePlot.titled("few").add("a", new double[] {3, 2, 1}).add("b",
        new double[] {3, 2, 1});
    assertEquals(1, LinePlot.markerStep(LinePlot.MARKERS_PER_CURVE));
    assertEquals(2, few.chart().getSeriesMap().size());
  }

  private static Set<Integer> marked(XYSeries series) {
    Set<Integer> marked = new HashSet<>();
    double[] y = series.getYData();
    for (int i = 0; i < y.length; i++) {
      if (!Double.isNaN(y[i])) {
        marked.add(i);
      }
    }
    return marked;
  }

  @Test
  void aLogAxisStartsAtThePowerOfTenBelowTheCurves() {
    // The comparison's range: 0.01 to the curves' top, labelling 0.01, 0.1 and 1.
    XYChart chart = LinePlot.titled("t").logScale(true).add("a", falling(1)).chart();
    assertEquals(0.01, chart.getStyler().getYAxisMin(), 1e-15);
    assertEquals(2.56, chart.getStyler().getYAxisMax(), 1e-12);
    // A top high in its decade goes up to the next power of ten.
    chart = LinePlot.titled("t").logScale(true).add("a", falling(3)).chart();
    assertEquals(0.01, chart.getStyler().getYAxisMin(), 1e-15);
    assertEquals(10, chart.getStyler().getYAxisMax(), 1e-12);
    // Within one decade: both ends at powers of ten, so two are labelled.
    chart = LinePlot.titled("t").logScale(true).add("a", new double[] {0.8, 0.5, 0.2}).chart();
    assertEquals(0.1, chart.getStyler().getYAxisMin(), 1e-15);
    assertEquals(1, chart.getStyler().getYAxisMax(), 1e-15);
    // The schedules' float step sizes: 0.1f is 0.1, not just above it.
    chart = LinePlot.titled("t").logScale(true).add("a", new double[] {0.1f, 0.05f, 0.0017})
        .chart();
    assertEquals(0.001, chart.getStyler().getYAxisMin(), 1e-15);
    assertEquals(0.1, chart.getStyler().getYAxisMax(), 1e-15);
    // A linear axis is XChart's.
    chart = LinePlot.titled("t").add("a", new double[] {0.8, 0.5, 0.2}).chart();
    assertEquals(null, chart.getStyler().getYAxisMin());
  }

  @Test
  void manyEquallySpacedPointsGetRoundXLabelsThroughAnUndrawnPoint() {
    double[] y = new double[60];
    java.util.Arrays.fill(y, 1);
    XYSeries line = LinePlot.titled("t").add("a", y).chart().getSeriesMap().get("a");
    assertEquals(61, line.getXData().length);
    assertTrue(Double.isNaN(line.getXData()[60]) && Double.isNaN(line.getYData()[60]));
    XYSeries few = LinePlot.titled("t").add("a", new double[] {3, 2, 1}).chart()
        .getSeriesMap().get("a");
    assertEquals(3, few.getXData().length);
  }

  @Test
  void mistakesAreRefusedWithTheFix() {
    LinePlot plot = LinePlot.titled("t");
    IllegalStateException empty = assertThrows(IllegalStateException.class, plot::render);
    assertTrue(empty.getMessage().contains("add("), empty.getMessage());
    IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
        () -> plot.add("a", new double[] {1, 2}, new double[] {1}));
    assertTrue(lengths.getMessage().contains("2 x values but 1 y values"), lengths.getMessage());
    plot.add("a", new double[] {1, 0.5, 0});
    IllegalArgumentException twice =
        assertThrows(IllegalArgumentException.class, () -> plot.add("a", new double[] {1}));
    assertTrue(twice.getMessage().contains("already a curve named 'a'"), twice.getMessage());
    IllegalStateException log =
        assertThrows(IllegalStateException.class, () -> plot.logScale(true).render());
    assertTrue(log.getMessage().contains("logScale(false)"), log.getMessage());
    assertFalse(plot.logScale(false).render() == null);
    plot.add("b", new double[] {Double.NaN});
    IllegalStateException nan = assertThrows(IllegalStateException.class, plot::render);
    assertTrue(nan.getMessage().contains("'b' has no finite point"), nan.getMessage());
    assertThrows(IllegalArgumentException.class, () -> plot.size(50, 400));
  }
}
