package dev.annonet.plot;

import dev.annonet.io.AtomicFile;
import dev.annonet.train.EpochRecord;
import dev.annonet.train.History;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line chart of named curves over epochs (or any x), drawn with XChart and written as PNG:
 * loss curves of a {@link History}, several runs side by side, step-size schedules.
 *
 * <pre>{@code
 * LinePlot.lossCurves(report.history()).logScale(true).writePng(Path.of("loss.png"));
 * }</pre>
 *
 * <p>Each curve has its own colour, dash pattern and marker shape, so that a curve lying on
 * another still shows: markers sit on about {@link #MARKERS_PER_CURVE} of a curve's points,
 * each curve's on different points. The legend stands to the right of the plot, where it covers
 * no curve. A logarithmic axis starts at the power of ten below the curves and labels every
 * power of ten, with grid lines at 2 to 9 times each; it ends at the power of ten above the
 * curves, or at their top when that lies low in its decade.
 *
 * <p>Drawing needs no display: the class sets {@code java.awt.headless=true} when the property
 * is unset. Points whose value is not finite (a run that diverged) are left out of their curve.
 */
public final class LinePlot {

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /**
   * The curves' colours, in the order added (Tableau 10, told apart by most colour-blind
   * readers); an eleventh curve starts over.
   */
  static final Color[] PALETTE = {
    new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2),
    new Color(0x59A14F), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7),
    new Color(0x9C755F), new Color(0xBAB0AC)
  };

  /** The curves' dash patterns, in the order added (short, as XChart restarts them per segment). */
  static final BasicStroke[] STROKES = {
    stroke(), stroke(7, 4), stroke(2, 3), stroke(8, 3, 2, 3), stroke(12, 4),
    stroke(7, 3, 2, 3, 2, 3), stroke(4, 3), stroke(12, 3, 4, 3), stroke(2, 6), stroke(16, 3)
  };

  /** The curves' marker shapes, in the order added. */
  static final Marker[] MARKERS = {
    SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP,
    SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS, SeriesMarkers.TRAPEZOID,
    SeriesMarkers.OVAL, SeriesMarkers.RECTANGLE
  };

  /** Points closer than this many pixels apart get x labels at round steps, not at points. */
  static final int CROWDED_PIXELS = 30;

  /** About how many of a curve's points carry its marker. */
  static final int MARKERS_PER_CURVE = 12;

  /** Suffix of the name of the series that carries a thinned curve's markers (and legend). */
  static final String MARKER_SERIES = "\u0000markers";

  private static BasicStroke stroke(float... dashes) {
    return dashes.length == 0
        ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND)
        : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dashes, 0f);
  }

  record Curve(String name, double[] x, double[] y) {}

  private final List<Curve> curves = new ArrayList<>();
  private String title;
  private String xLabel = "epoch";
  private String yLabel = "loss";
  private boolean logScale;
  private int width = 800;
  private int height = 500;

  private LinePlot(String title) {
    this.title = title;
  }

  /** An empty plot with this title, x axis "epoch" and y axis "loss". */
  public static LinePlot titled(String title) {
    return new LinePlot(title == null ? "" : title);
  }

  /**
   * The loss curves of one run: the train loss per epoch and, when the run had a validation
   * set, the validation loss per epoch.
   */
  public static LinePlot lossCurves(History history) {
    requireEpochs(history, "LinePlot.lossCurves");
    LinePlot plot = titled("Loss per epoch");
    plot.add("train", epochs(history), trainLoss(history));
    double[] validation = new double[history.size()];
    boolean any = false;
    for (int i = 0; i < history.size(); i++) {
      validation[i] = history.get(i).validation().loss();
      any |= !Double.isNaN(validation[i]);
    }
    if (any) {
      plot.add("validation", epochs(history), validation);
    }
    return plot;
  }

  /** Adds the train loss per epoch of {@code history} as the curve {@code name}. */
  public LinePlot addTrainLoss(String name, History history) {
    requireEpochs(history, "LinePlot.addTrainLoss");
    return add(name, epochs(history), trainLoss(history));
  }

  /** Adds a curve whose value {@code i} belongs to epoch {@code i + 1}. */
  public LinePlot add(String name, double[] perEpoch) {
    if (perEpoch == null) {
      throw new IllegalArgumentException("LinePlot.add: the values of '" + name + "' are null");
    }
    double[] x = new double[perEpoch.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = i + 1;
    }
    return add(name, x, perEpoch);
  }

  /** Adds a curve through the points {@code (x[i], y[i])}; the arrays are copied. */
  public LinePlot add(String name, double[] x, double[] y) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("LinePlot.add: a curve needs a name for the legend");
    }
    for (Curve c : curves) {
      if (c.name().equals(name)) {
        throw new IllegalArgumentException("LinePlot.add: there is already a curve named '"
            + name + "': give each curve its own name");
      }
    }
    if (x == null || y == null) {
      throw new IllegalArgumentException("LinePlot.add: the values of '" + name + "' are null");
    }
    if (x.length != y.length) {
      throw new IllegalArgumentException("LinePlot.add: curve '" + name + "' has " + x.length
          + " x values but " + y.length + " y values: give one y per x");
    }
    curves.add(new Curve(name, x.clone(), y.clone()));
    return this;
  }

  /** The chart's title. */
  public LinePlot title(String title) {
    this.title = title == null ? "" : title;
    return this;
  }

  /** The axis titles (default "epoch" and "loss"). */
  public LinePlot labels(String x, String y) {
    this.xLabel = x == null ? "" : x;
    this.yLabel = y == null ? "" : y;
    return this;
  }

  /** A logarithmic y axis (every finite value must then be positive); default linear. */
  public LinePlot logScale(boolean logScale) {
    this.logScale = logScale;
    return this;
  }

  /** The image size in pixels (default 800 x 500). */
  public LinePlot size(int width, int height) {
    if (width < 100 || height < 100) {
      throw new IllegalArgumentException("LinePlot.size: " + width + " x " + height
          + " pixels is too small for axes and a legend: use at least 100 x 100");
    }
    this.width = width;
    this.height = height;
    return this;
  }

  /** The curves' names, in the order added. */
  public List<String> names() {
    return curves.stream().map(Curve::name).toList();
  }

  /** Draws the chart. */
  public BufferedImage render() {
    return BitmapEncoder.getBufferedImage(chart());
  }

  /**
   * Draws the chart and writes it to {@code file} as PNG, creating missing parent directories;
   * the file is replaced atomically where the file system allows. Returns {@code file}.
   */
  public Path writePng(Path file) throws IOException {
    BufferedImage image = render();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", png)) {
      throw new IOException("no PNG writer in this Java runtime (javax.imageio)");
    }
    AtomicFile.write(png.toByteArray(), file);
    return file;
  }

  /**
   * The chart as drawn. Each curve is a line series without legend entry and, when its markers
   * are thinned, a series of the same style holding only the marked points (NaN elsewhere, so
   * that it draws no line) that carries the legend entry; a curve whose every point is marked is
   * one series.
   */
  XYChart chart() {
    if (curves.isEmpty()) {
      throw new IllegalStateException("LinePlot '" + title + "' has no curves: add one with "
          + "add(...) or addTrainLoss(...) before drawing");
    }
    List<Curve> kept = new ArrayList<>();
    for (Curve c : curves) {
      kept.add(finite(c));
    }
    XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    Styler styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setLegendPosition(Styler.LegendPosition.OutsideE);
    styler.setLegendSeriesLineLength(36);
    chart.getStyler().setMarkerSize(7);
    chart.getStyler().setYAxisLogarithmic(logScale);
    if (logScale) {
      double[] range = logRange(kept);
      chart.getStyler().setYAxisMin(range[0]);
      chart.getStyler().setYAxisMax(range[1]);
    }
    int points = 0;
    for (Curve c : kept) {
      points = Math.max(points, c.x().length);
    }
    boolean crowded = points > width / CROWDED_PIXELS;
    for (int i = 0; i < kept.size(); i++) {
      Curve curve = kept.get(i);
      int step = markerStep(curve.x().length);
      // Equally spaced x values, XChart labels every one it can squeeze in (0 1 2 ... 60 in
      // 12 pixels each); a last point (NaN, NaN), drawn as nothing, makes it label round steps
      // (0 10 20 ...) as for other data. Not for few points, whose round steps would be 0.5.
      XYSeries line = crowded
          ? chart.addSeries(curve.name(), withNaN(curve.x()), withNaN(curve.y()))
          : chart.addSeries(curve.name(), curve.x(), curve.y());
      style(line, i);
      if (step == 1) {
        line.setMarker(MARKERS[i % MARKERS.length]);
        continue;
      }
      line.setMarker(SeriesMarkers.NONE);
      line.setShowInLegend(false);
      double[] marked = new double[curve.y().length];
      for (int k = 0; k < marked.length; k++) {
        marked[k] = k % step == i % step ? curve.y()[k] : Double.NaN;
      }
      XYSeries markers = chart.addSeries(curve.name() + MARKER_SERIES, curve.x(), marked);
      style(markers, i);
      markers.setMarker(MARKERS[i % MARKERS.length]);
      markers.setLabel(curve.name());
    }
    return chart;
  }

  private static double[] withNaN(double[] values) {
    double[] longer = Arrays.copyOf(values, values.length + 1);
    longer[values.length] = Double.NaN;
    return longer;
  }

  private static void style(XYSeries series, int index) {
    Color color = PALETTE[index % PALETTE.length];
    series.setLineColor(color);
    series.setMarkerColor(color);
    series.setLineStyle(STROKES[index % STROKES.length]);
  }

  /**
   * Every how many points a curve of {@code points} points carries a marker: 1 up to
   * {@link #MARKERS_PER_CURVE} points. Curve {@code i} marks the points whose index is
   * {@code i} modulo the step, so that curves on top of each other show their markers apart.
   */
  static int markerStep(int points) {
    return Math.max(1, (points + MARKERS_PER_CURVE - 1) / MARKERS_PER_CURVE);
  }

  /**
   * The y axis of a logarithmic plot: from the power of ten at or below the smallest value to the
   * power of ten at or above the largest, but only up to the largest value when that lies in the
   * lower half of its decade (a curve from 2.3 leaves most of the decade to 10 empty) and a power
   * of ten lies above the lower end. So every power of ten in between is labelled and the lowest
   * curve has a labelled power of ten below it. A value within a float's rounding of a power of
   * ten counts as that power.
   */
  static double[] logRange(List<Curve> curves) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Curve c : curves) {
      for (double v : c.y()) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    int low = (int) Math.floor(Math.log10(lo) + 1e-6);
    double top = Math.log10(hi);
    int high = (int) Math.ceil(top - 1e-6);
    if (high > low + 1 && top < high - 0.5) {
      return new double[] {Math.pow(10, low), hi};
    }
    return new double[] {Math.pow(10, low), Math.pow(10, Math.max(high, low + 1))};
  }

  /** The curve without its non-finite points; checks positivity for a log scale. */
  private Curve finite(Curve c) {
    int n = 0;
    for (int i = 0; i < c.x().length; i++) {
      if (Double.isFinite(c.x()[i]) && Double.isFinite(c.y()[i])) {
        n++;
      }
    }
    if (n == 0) {
      throw new IllegalStateException("LinePlot: curve '" + c.name() + "' has no finite point "
          + "to draw (every value is NaN or infinite): leave it out");
    }
    double[] x = new double[n];
    double[] y = new double[n];
    int k = 0;
    for (int i = 0; i < c.x().length; i++) {
      if (Double.isFinite(c.x()[i]) && Double.isFinite(c.y()[i])) {
        if (logScale && c.y()[i] <= 0) {
          throw new IllegalStateException("LinePlot: curve '" + c.name() + "' is " + c.y()[i]
              + " at x = " + c.x()[i] + ", which a logarithmic axis cannot show: use "
              + "logScale(false)");
        }
        x[k] = c.x()[i];
        y[k] = c.y()[i];
        k++;
      }
    }
    return new Curve(c.name(), x, y);
  }

  private static void requireEpochs(History history, String method) {
    if (history == null) {
      throw new IllegalArgumentException(method + ": the history is null");
    }
    if (history.size() == 0) {
      throw new IllegalArgumentException(method + ": the history has no epoch to plot");
    }
  }

  private static double[] epochs(History history) {
    double[] x = new double[history.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = history.get(i).epoch();
    }
    return x;
  }

  private static double[] trainLoss(History history) {
    double[] y = new double[history.size()];
    int i = 0;
    for (EpochRecord r : history) {
      y[i++] = r.trainLoss();
    }
    return y;
  }
}
