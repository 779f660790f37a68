package dev.annonet.optim;

import java.util.Arrays;

/**
 * Runs an {@link Optimizer} on an {@link Objective} from a start point and records the trajectory,
 * for experiments, examples and tests on plain functions.
 *
 * <p>Every step uses the full gradient, so each step is one epoch: the schedule is called with
 * {@code epoch = iteration = } the step number. The run stops after {@code maxSteps} steps, when
 * the gradient norm falls below {@code tolerance} (checked before each step), or when {@code f}
 * stops being finite. The optimizer is {@linkplain Optimizer#reset() reset} at the start of each
 * run.
 *
 * <p>With {@link #averageIterates()} the run also keeps the averaged iterate of the course's SGD
 * theorem, {@code theta_bar = sum_j alpha_j theta_j / sum_j alpha_j}, recorded after every step
 * in {@link Trajectory#averages()}; the optimizer still steps from the last iterate.
 */
public final class Minimizer {

  /** Why a run ended. */
  public enum Stop {
    /** The gradient norm fell below the tolerance. */
    CONVERGED,
    /** The step budget ran out. */
    MAX_STEPS,
    /** {@code f} or the gradient became infinite or NaN: the run diverged. */
    NOT_FINITE
  }

  /**
   * A run: {@code points[k]} is {@code theta} after {@code k} steps ({@code points[0]} is the
   * start), {@code values[k]} is {@code f} there and {@code gradientNorms[k]} its gradient norm.
   * With {@link #averageIterates} on, {@code averages[k]} is the averaged iterate after
   * {@code k} steps, the average of {@code points[0 .. k-1]} as {@link Averaging} defines it,
   * and {@code points[k]} while that is empty (so {@code averages[0]} is the start); else
   * {@code averages} is null.
   */
  public record Trajectory(float[][] points, double[] values, double[] gradientNorms, Stop stop,
      float[][] averages) {

    /** A run without averaging. */
    public Trajectory(float[][] points, double[] values, double[] gradientNorms, Stop stop) {
      this(points, values, gradientNorms, stop, null);
    }

    /**
     * The averaged iterate after the last step.
     *
     * @throws IllegalStateException if the run did not average its iterates
     */
    public float[] lastAverage() {
      if (averages == null) {
        throw new IllegalStateException("this run kept no average: call"
            + " Minimizer.averageIterates() before run");
      }
      return averages[averages.length - 1];
    }

    /** The number of steps taken. */
    public int steps() {
      return points.length - 1;
    }

    /** The last point. */
    public float[] last() {
      return points[points.length - 1];
    }

    /** {@code f} at the last point. */
    public double finalValue() {
      return values[values.length - 1];
    }

    /** The gradient norm at the last point. */
    public double finalGradientNorm() {
      return gradientNorms[gradientNorms.length - 1];
    }

    @Override
    public String toString() {
      return "Trajectory[steps=" + steps() + ", stop=" + stop + ", last="
          + Arrays.toString(last()) + ", f=" + finalValue() + "]";
    }
  }

  private final Optimizer optimizer;
  private final Schedule schedule;
  private final int maxSteps;
  private final double tolerance;
  private final Averaging averaging;

  private Minimizer(Optimizer optimizer, Schedule schedule, int maxSteps, double tolerance,
      Averaging averaging) {
    if (optimizer == null || schedule == null) {
      throw new IllegalArgumentException("Minimizer: optimizer and schedule must not be null");
    }
    if (maxSteps < 0) {
      throw new IllegalArgumentException(
          "Minimizer: maxSteps = " + maxSteps + " is outside the valid range [0, 2147483647]");
    }
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException(
          "Minimizer: tolerance = " + tolerance + " is outside the valid range [0, +inf)");
    }
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.maxSteps = maxSteps;
    this.tolerance = tolerance;
    this.averaging = averaging;
  }

  /** A minimizer with a constant schedule, 1000 steps and tolerance 0 (never converges early). */
  public static Minimizer of(Optimizer optimizer) {
    return new Minimizer(optimizer, Schedule.constant(), 1000, 0, null);
  }

  /** The same minimizer with schedule {@code schedule}. */
  public Minimizer schedule(Schedule schedule) {
    return new Minimizer(optimizer, schedule, maxSteps, tolerance, averaging);
  }

  /** The same minimizer with at most {@code maxSteps} steps. */
  public Minimizer maxSteps(int maxSteps) {
    return new Minimizer(optimizer, schedule, maxSteps, tolerance, averaging);
  }

  /** The same minimizer stopping once the gradient norm is below {@code tolerance}. */
  public Minimizer tolerance(double tolerance) {
    return new Minimizer(optimizer, schedule, maxSteps, tolerance, averaging);
  }

  /**
   * The same minimizer also keeping the step-size-weighted average of its iterates,
   * {@link Averaging#stepWeighted()}.
   */
  public Minimizer averageIterates() {
    return averageIterates(Averaging.stepWeighted());
  }

  /** The same minimizer also keeping the average of its iterates that {@code averaging} defines. */
  public Minimizer averageIterates(Averaging averaging) {
    if (averaging == null) {
      throw new IllegalArgumentException("Minimizer.averageIterates: averaging is null; pass"
          + " Averaging.stepWeighted() or Averaging.uniformFrom(start)");
    }
    return new Minimizer(optimizer, schedule, maxSteps, tolerance, averaging);
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  /** Minimizes {@code f} from {@code start} (which is not modified). */
  public Trajectory run(Objective f, float[] start) {
    if (start.length != f.dimension()) {
      throw new IllegalArgumentException("Minimizer: start has " + start.length
          + " entries but the objective has dimension " + f.dimension());
    }
    optimizer.reset();
    float[] theta = start.clone();
    float[] grad = new float[theta.length];
    float[][] points = new float[maxSteps + 1][];
    double[] values = new double[maxSteps + 1];
    double[] norms = new double[maxSteps + 1];
    IterateAverage average =
        averaging == null ? null : new IterateAverage(averaging, theta.length);
    float[][] averages = averaging == null ? null : new float[maxSteps + 1][];
    double value = f.valueAndGradient(theta, grad);
    points[0] = theta.clone();
    values[0] = value;
    norms[0] = norm(grad);
    if (averages != null) {
      averages[0] = theta.clone();
    }
    int k = 0;
    Stop stop = Stop.MAX_STEPS;
    while (true) {
      if (!Double.isFinite(values[k]) || !Double.isFinite(norms[k])) {
        stop = Stop.NOT_FINITE;
        break;
      }
      if (norms[k] < tolerance) {
        stop = Stop.CONVERGED;
        break;
      }
      if (k == maxSteps) {
        break;
      }
      float lr = schedule.stepSize(optimizer.learningRate(), k, k);
      if (average != null) {
        average.add(theta, lr, k);
      }
      if (optimizer.needsObjective()) {
        optimizer.step(theta, grad, lr, f, value);
      } else {
        optimizer.step(theta, grad, lr);
      }
      value = f.valueAndGradient(theta, grad);
      k++;
      points[k] = theta.clone();
      values[k] = value;
      norms[k] = norm(grad);
      if (averages != null) {
        averages[k] = theta.clone();
        average.copyTo(averages[k]);
      }
    }
    return new Trajectory(Arrays.copyOf(points, k + 1), Arrays.copyOf(values, k + 1),
        Arrays.copyOf(norms, k + 1), stop,
        averages == null ? null : Arrays.copyOf(averages, k + 1));
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }
}
