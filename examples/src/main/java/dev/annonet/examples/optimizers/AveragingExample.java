package dev.annonet.examples.optimizers;

import dev.annonet.optim.Averaging;
import dev.annonet.optim.Minimizer;
import dev.annonet.optim.Objective;
import dev.annonet.optim.Sgd;
import dev.annonet.plot.LinePlot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * SGD at a constant step on a noisy least-squares problem, and the averaged iterate of the
 * course's SGD theorem: it teaches that at a constant step {@code alpha} the last iterate does
 * not converge but keeps wandering around the optimum, at a distance set by the step and the
 * gradient noise (the theorem's term in {@code alpha^2} that does not shrink with {@code T}),
 * while the step-size-weighted average {@code theta_bar = sum alpha_j theta_j / sum alpha_j}
 * ({@link Minimizer#averageIterates()}) averages the wandering out and keeps approaching the
 * optimum; a uniform average started late ({@link Averaging#uniformFrom}) also drops the
 * transient from the start.
 *
 * <p>The problem: {@code f(theta) = sum_i (a_i . theta - b_i)^2 / (2n)} with {@code n = 200}
 * Gaussian rows {@code a_i} in 5 dimensions and {@code b_i = a_i . theta_true + noise}; each
 * SGD step uses the gradient of one row drawn at random. The optimum {@code theta*} is the
 * least-squares solution of the 200 rows, solved exactly from the normal equations. It draws the
 * distance to {@code theta*} of the last iterate and of both averages over the steps (log scale)
 * and prints the final distances over several seeds.
 *
 * <p>Run with {@code mvn -q -B -DskipTests -Prun package
 * -Dexample=dev.annonet.examples.optimizers.AveragingExample}; the PNG goes to
 * {@code target/plots} (relative to the examples module) or to the directory given as the first
 * argument.
 */
public final class AveragingExample {

  private AveragingExample() {}

  /** The PNG's file name in the output directory. */
  public static final String FILE = "averaging.png";

  /** Rows, dimensions, noise level and SGD's constant step. */
  static final int ROWS = 200;
  static final int DIM = 5;
  static final double NOISE = 1;
  static final float STEP = 0.05f;

  /** Where the uniform average starts: after the transient from the start has died out. */
  static final int TAIL_START = 500;

  /**
   * The least-squares objective whose {@link #valueAndGradient} returns the full {@code f} (for
   * the record) but writes the gradient of one row drawn at random: a stochastic gradient, as
   * SGD takes.
   */
  static final class NoisyLeastSquares implements Objective {
    final double[][] a = new double[ROWS][DIM];
    final double[] b = new double[ROWS];
    final double[] optimum;
    private final SplittableRandom draws;

    NoisyLeastSquares(long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      double[] truth = new double[DIM];
      for (int k = 0; k < DIM; k++) {
        truth[k] = random.nextGaussian();
      }
      for (int i = 0; i < ROWS; i++) {
        double s = 0;
        for (int k = 0; k < DIM; k++) {
          a[i][k] = random.nextGaussian();
          s += a[i][k] * truth[k];
        }
        b[i] = s + NOISE * random.nextGaussian();
      }
      optimum = leastSquares(a, b);
      draws = random.split();
    }

    @Override
    public int dimension() {
      return DIM;
    }

    @Override
    public double value(float[] theta) {
      double f = 0;
      for (int i = 0; i < ROWS; i++) {
        double r = residual(i, theta);
        f += r * r;
      }
      return f / (2 * ROWS);
    }

    @Override
    public double valueAndGradient(float[] theta, float[] gradient) {
      int i = draws.nextInt(ROWS);
      double r = residual(i, theta);
      for (int k = 0; k < DIM; k++) {
        gradient[k] = (float) (a[i][k] * r);
      }
      return value(theta);
    }

    private double residual(int i, float[] theta) {
      double s = -b[i];
      for (int k = 0; k < DIM; k++) {
        s += a[i][k] * theta[k];
      }
      return s;
    }

    /** Euclidean distance from {@code theta} to the optimum. */
    double distance(float[] theta) {
      double s = 0;
      for (int k = 0; k < DIM; k++) {
        double d = theta[k] - optimum[k];
        s += d * d;
      }
      return Math.sqrt(s);
    }
  }

  /** Solves the normal equations {@code (A^T A) x = A^T b} by Gaussian elimination. */
  static double[] leastSquares(double[][] a, double[] b) {
    int d = a[0].length;
    double[][] m = new double[d][d + 1];
    for (double[] row : a) {
      for (int p = 0; p < d; p++) {
        for (int q = 0; q < d; q++) {
          m[p][q] += row[p] * row[q];
        }
      }
    }
    for (int i = 0; i < a.length; i++) {
      for (int p = 0; p < d; p++) {
        m[p][d] += a[i][p] * b[i];
      }
    }
    // A^T A is symmetric positive definite: elimination without pivoting is stable.
    for (int p = 0; p < d; p++) {
      for (int r = p + 1; r < d; r++) {
        double f = m[r][p] / m[p][p];
        for (int c = p; c <= d; c++) {
          m[r][c] -= f * m[p][c];
        }
      }
    }
    double[] x = new double[d];
    for (int p = d - 1; p >= 0; p--) {
      double s = m[p][d];
      for (int c = p + 1; c < d; c++) {
        s -= m[p][c] * x[c];
      }
      x[p] = s / m[p][p];
    }
    return x;
  }

  /**
   * Distances to the optimum after each step {@code 0..steps} of one run: of the last iterate,
   * of the step-weighted average and of the uniform average from {@link #TAIL_START}.
   */
  public record Distances(double[] last, double[] weighted, double[] tail) {

    /** The final distances, in the order last, weighted, tail. */
    double[] finals() {
      int k = last.length - 1;
      return new double[] {last[k], weighted[k], tail[k]};
    }
  }

  /** Runs SGD from the origin for {@code steps} steps on the problem drawn from {@code seed}. */
  public static Distances run(long seed, int steps) {
    Minimizer sgd = Minimizer.of(Sgd.defaults().lr(STEP)).maxSteps(steps);
    // The same problem and the same draws twice: the runs differ only in what they average.
    Minimizer.Trajectory weighted = sgd.averageIterates().run(new NoisyLeastSquares(seed),
        new float[DIM]);
    Minimizer.Trajectory tail = sgd.averageIterates(Averaging.uniformFrom(TAIL_START))
        .run(new NoisyLeastSquares(seed), new float[DIM]);
    NoisyLeastSquares problem = new NoisyLeastSquares(seed);
    double[] last = new double[steps + 1];
    double[] mean = new double[steps + 1];
    double[] late = new double[steps + 1];
    for (int k = 0; k <= steps; k++) {
      last[k] = problem.distance(weighted.points()[k]);
      mean[k] = problem.distance(weighted.averages()[k]);
      late[k] = problem.distance(tail.averages()[k]);
    }
    return new Distances(last, mean, late);
  }

  /** Draws the three distances over the steps (log scale) into {@code dir/averaging.png}. */
  public static Path plot(Distances d, Path dir) throws IOException {
    double[] x = new double[d.last().length];
    for (int k = 0; k < x.length; k++) {
      x[k] = k;
    }
    return LinePlot.titled("SGD at constant step " + STEP + " on noisy least squares:"
            + " distance to the optimum")
        .labels("step", "|theta - theta*|")
        .logScale(true)
        .size(900, 560)
        .add("last iterate", x, d.last())
        .add("step-weighted average", x, d.weighted())
        .add("uniform average from step " + TAIL_START, x, d.tail())
        .writePng(dir.resolve(FILE));
  }

  /** Argument: output directory (default {@code target/plots}). */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/plots");
    int steps = 4000;
    System.out.printf(Locale.ROOT, "distance to the optimum after %d steps at step %s%n", steps,
        STEP);
    System.out.printf(Locale.ROOT, "  %4s %12s %12s %12s%n", "seed", "last", "weighted",
        "tail");
    for (long seed = 1; seed <= 10; seed++) {
      double[] f = run(seed, steps).finals();
      System.out.printf(Locale.ROOT, "  %4d %12.5f %12.5f %12.5f%n", seed, f[0], f[1], f[2]);
    }
    System.out.println("wrote " + plot(run(1, steps), dir));
  }
}
