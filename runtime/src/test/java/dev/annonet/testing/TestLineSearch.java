package dev.annonet.testing;

import dev.annonet.optim.Objective;
import dev.annonet.optim.Optimizer;

/**
 * Full-batch gradient descent with backtracking (halve the step until f decreases), for testing
 * the trainer's full-batch path; records the objective values it saw.
 */
public final class TestLineSearch implements Optimizer {

  private final float learningRate;
  private float[] start;
  private long steps;
  private double lastValueGiven = Double.NaN;

  public TestLineSearch(float learningRate) {
    this.learningRate = learningRate;
  }

  @Override
  public float learningRate() {
    return learningRate;
  }

  @Override
  public boolean needsObjective() {
    return true;
  }

  @Override
  public void step(float[] theta, float[] grad, float lr) {
    throw new AssertionError("a full-batch optimizer must be given the objective");
  }

  @Override
  public double step(float[] theta, float[] grad, float lr, Objective f, double value) {
    if (start == null) {
      start = new float[theta.length];
    }
    steps++;
    lastValueGiven = value;
    System.arraycopy(theta, 0, start, 0, theta.length);
    float t = lr;
    for (int attempt = 0; attempt < 40; attempt++, t /= 2) {
      for (int i = 0; i < theta.length; i++) {
        theta[i] = start[i] - t * grad[i];
      }
      double next = f.value(theta);
      if (next < value) {
        return next;
      }
    }
    System.arraycopy(start, 0, theta, 0, theta.length);
    return value;
  }

  public long steps() {
    return steps;
  }

  /** The f(theta) the trainer passed on the last step. */
  public double lastValueGiven() {
    return lastValueGiven;
  }

  @Override
  public void reset() {
    steps = 0;
  }
}
