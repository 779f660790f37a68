package dev.annonet.examples.comparison;

import dev.annonet.optim.Schedule;
import dev.annonet.plot.LinePlot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The course's step-size schedules side by side, as the trainer applies them at the start of
 * each epoch from the base step size {@code a}: constant, step decay ({@code a/2} every 10
 * epochs), epoch doubling (5 epochs at {@code a}, 10 at {@code a/2}, 20 at {@code a/4}, ...) and
 * inverse time {@code a/(t+1)} with {@code t} the epoch ({@link Schedule#inverseTimePerEpoch()};
 * {@link Schedule#inverseTime()} counts updates instead). A log scale shows the geometric
 * schedules as staircases of equal steps; {@code 1/(t+1)} falls fastest at first and then
 * slowest.
 *
 * <p>Run with {@code mvn -q -B -DskipTests -Prun package
 * -Dexample=dev.annonet.examples.comparison.SchedulePlot}; the PNG goes to {@code target/plots}
 * (relative to the examples module) or to the directory given as the first argument.
 */
public final class SchedulePlot {

  private SchedulePlot() {}

  /** The PNG's file name in the output directory. */
  public static final String FILE = "schedules.png";

  /**
   * The step size of each schedule at the first update of each epoch {@code 0..epochs-1} (the
   * value at index {@code e} is epoch {@code e}, 0-based as schedules see it), by display name.
   */
  public static Map<String, double[]> curves(float a, int epochs) {
    Map<String, Schedule> schedules = new LinkedHashMap<>();
    schedules.put("constant a", Schedule.constant());
    schedules.put("step decay a/2 every 10 epochs", Schedule.stepDecay(0.5, 10));
    schedules.put("epoch doubling (k = 5)", Schedule.epochDoubling(5));
    schedules.put("inverse time a/(t+1)", Schedule.inverseTimePerEpoch());
    Map<String, double[]> curves = new LinkedHashMap<>();
    schedules.forEach((name, schedule) -> {
      double[] y = new double[epochs];
      for (int e = 0; e < epochs; e++) {
        y[e] = schedule.stepSize(a, e, e);
      }
      curves.put(name, y);
    });
    return curves;
  }

  /** Draws {@code curves} over epochs 0.. (log scale) into {@code dir/schedules.png}. */
  public static Path plot(Map<String, double[]> curves, Path dir) throws IOException {
    LinePlot plot = LinePlot.titled("Step-size schedules: step size at the start of each epoch")
        .labels("epoch", "step size")
        .logScale(true)
        .size(900, 560);
    curves.forEach((name, y) -> {
      double[] x = new double[y.length];
      for (int e = 0; e < x.length; e++) {
        x[e] = e;
      }
      plot.add(name, x, y);
    });
    return plot.writePng(dir.resolve(FILE));
  }

  /** Argument: output directory (default {@code target/plots}). */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/plots");
    System.out.println("wrote " + plot(curves(0.1f, 60), dir));
  }
}
