package dev.annonet.optim;

/**
 * A differentiable function of a parameter vector, the thing every optimizer minimises: a
 * network's loss on a data set, or a plain function such as the saddle {@code x^2 - y^2}.
 */
public interface Objective {

  /** Number of parameters. */
  int dimension();

  /** The value at {@code theta}. */
  double value(float[] theta);

  /** The value at {@code theta}; writes the gradient into {@code gradient} (overwriting it). */
  double valueAndGradient(float[] theta, float[] gradient);
}
