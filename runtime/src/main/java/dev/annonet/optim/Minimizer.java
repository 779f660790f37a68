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
   */
  public record Trajectory(float[][] points, double[] values, double[] gradientNorms, Stop stop) {

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

  private Minimizer(Optimizer optimizer, Schedule schedule, int maxSteps, double tolerance) {
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
  }

  /** A minimizer with a constant schedule, 1000 steps and tolerance 0 (never converges early). */
  public static Minimizer of(Optimizer optimizer) {
    return new Minimizer(optimizer, Schedule.constant(), 1000, 0);
  }

  /** The same minimizer with schedule {@code schedule}. */
  public Minimizer schedule(Schedule schedule) {
    return new Minimizer(optimizer, schedule, maxSteps, tolerance);
  }

  /** The same minimizer with at most {@code maxSteps} steps. */
  public Minimizer maxSteps(int maxSteps) {
    return new Minimizer(optimizer, schedule, maxSteps, tolerance);
  }

  /** The same minimizer stopping once the gradient norm is below {@code tolerance}. */
  public Minimizer tolerance(double tolerance) {
    return new Minimizer(optimizer, schedule, maxSteps, tolerance);
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
    double value = f.valueAndGradient(theta, grad);
    points[0] = theta.clone();
    values[0] = value;
    norms[0] = norm(grad);
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
    }
    return new Trajectory(Arrays.copyOf(points, k + 1), Arrays.copyOf(values, k + 1),
        Arrays.copyOf(norms, k + 1), stop);
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }
}
