package dev.annonet.testing;

import dev.annonet.optim.Optimizer;

/** Plain gradient descent for tests, counting its steps (dev.annonet.optim is built elsewhere). */
public final class TestSgd implements Optimizer {

  private final float learningRate;
  private long steps;

  public TestSgd(float learningRate) {
    this.learningRate = learningRate;
  }

  @Override
  public float learningRate() {
    return learningRate;
  }

  @Override
  public void step(float[] theta, float[] grad, float lr) {
    for (int i = 0; i < theta.length; i++) {
      theta[i] -= lr * grad[i];
    }
    steps++;
  }

  /** Steps taken since the last reset. */
  public long steps() {
    return steps;
  }

  @Override
  public void reset() {
    steps = 0;
  }
}
