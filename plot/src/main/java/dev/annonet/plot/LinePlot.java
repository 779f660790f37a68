package dev.annonet.plot;

import dev.annonet.io.AtomicFile;
import dev.annonet.train.EpochRecord;
import dev.annonet.train.History;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line chart of named curves over epochs (or any x), drawn with XChart and written as PNG:
 * loss curves of a {@link History}, several runs side by side, step-size schedules.
 *
 * <pre>{@code
 * LinePlot.lossCurves(report.history()).logScale(true).writePng(Path.of("loss.png"));
 * }</pre>
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

  /** Curves with more points than this are drawn without point markers. */
  static final int MARKER_LIMIT = 40;

  private record Curve(String name, double[] x, double[] y) {}

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

  private XYChart chart() {
    if (curves.isEmpty()) {
      throw new IllegalStateException("LinePlot '" + title + "' has no curves: add one with "
          + "add(...) or addTrainLoss(...) before drawing");
    }
    XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    Styler styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setYAxisLogarithmic(logScale);
    for (int i = 0; i < curves.size(); i++) {
      Curve kept = finite(curves.get(i));
      XYSeries series = chart.addSeries(kept.name(), kept.x(), kept.y());
      Color color = PALETTE[i % PALETTE.length];
      series.setLineColor(color);
      series.setMarkerColor(color);
      series.setLineWidth(2f);
      if (kept.x().length > MARKER_LIMIT) {
        series.setMarker(SeriesMarkers.NONE);
      } else {
        series.setMarker(SeriesMarkers.CIRCLE);
      }
    }
    return chart;
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
