package dev.annonet.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The optimizers' update loops ({@link Updates}) written with the JDK Vector API, a vector of
 * parameters at a time. Each line is its scalar counterpart's operations in the same order
 * (multiplies and adds kept apart, a float square root), so every lane gets the scalar loop's
 * bits. Loaded only when {@link Kernels#vectorApiAvailable()} is true.
 *
 * <p>Adam's loop takes its hyperparameters as vectors made once before it. With scalar
 * operands ({@code v.mul(b1)}) it broadcast them on every iteration, and Java 17's C2, compiling
 * a whole training step with this loop inlined into it, failed to intrinsify those broadcasts
 * ({@code VectorSupport.broadcastCoerced: failed to inline (intrinsic)}): the loop then boxed a
 * vector per operation, and W3's step ran 2.7 times slower from the moment that compilation was
 * installed (8 to 11 seconds into a JMH fork, in every fork).
 */
final class VectorUpdates {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorUpdates() {}

  /**
   * Updates whole vectors of parameters from {@code from}; returns where it stopped, the
   * first of fewer than a vector's worth left before {@code to} for the scalar loop.
   */
  static int range(Updates.UpdateTask t, int from, int to) {
    int end = from + (to - from) / L * L;
    switch (t.rule) {
      case SGD -> sgd(t, from, end);
      case MOMENTUM -> momentum(t, from, end);
      case NESTEROV -> nesterov(t, from, end);
      case ADAGRAD -> adaGrad(t, from, end);
      case RMSPROP -> rmsProp(t, from, end);
      case ADAM -> adam(t, from, end);
      default -> throw new AssertionError(t.rule);
    }
    return end;
  }

  /** {@code grad + wd * theta} at {@code i}, {@code th} being theta's vector there. */
  private static FloatVector gradient(FloatVector th, float[] grad, int i, float wd) {
    return FloatVector.fromArray(S, grad, i).add(th.mul(wd));
  }

  private static void sgd(Updates.UpdateTask t, int from, int end) {
    float[] theta = t.theta;
    float[] grad = t.grad;
    float lr = t.lr;
    float wd = t.wd;
    for (int i = from; i < end; i += L) {
      FloatVector th = FloatVector.fromArray(S, theta, i);
      FloatVector g = gradient(th, grad, i, wd);
      th.sub(g.mul(lr)).intoArray(theta, i);
    }
  }

  private static void momentum(Updates.UpdateTask t, int from, int end) {
    float[] theta = t.theta;
    float[] grad = t.grad;
    float[] v = t.s1;
    float lr = t.lr;
    float wd = t.wd;
    float mu = t.mu;
    float gain = t.gain;
    for (int i = from; i < end; i += L) {
      FloatVector th = FloatVector.fromArray(S, theta, i);
      FloatVector g = gradient(th, grad, i, wd);
      FloatVector vi = FloatVector.fromArray(S, v, i).mul(mu).add(g.mul(gain));
      vi.intoArray(v, i);
      th.sub(vi.mul(lr)).intoArray(theta, i);
    }
  }

  private static void nesterov(Updates.UpdateTask t, int from, int end) {
    float[] theta = t.theta;
    float[] grad = t.grad;
    float[] buf = t.s1;
    float lr = t.lr;
    float wd = t.wd;
    float mu = t.mu;
    for (int i = from; i < end; i += L) {
      FloatVector th = FloatVector.fromArray(S, theta, i);
      FloatVector g = gradient(th, grad, i, wd);
      FloatVector b = FloatVector.fromArray(S, buf, i).mul(mu).add(g);
      b.intoArray(buf, i);
      FloatVector step = g.add(b.mul(mu)).mul(lr);
      th.sub(step).intoArray(theta, i);
    }
  }

  private static void adaGrad(Updates.UpdateTask t, int from, int end) {
    float[] theta = t.theta;
    float[] grad = t.grad;
    float[] sum = t.s1;
    float lr = t.lr;
    float wd = t.wd;
    float eps = t.eps;
    for (int i = from; i < end; i += L) {
      FloatVector th = FloatVector.fromArray(S, theta, i);
      FloatVector g = gradient(th, grad, i, wd);
      FloatVector s = FloatVector.fromArray(S, sum, i).add(g.mul(g));
      s.intoArray(sum, i);
      FloatVector step = g.mul(lr).div(s.lanewise(VectorOperators.SQRT).add(eps));
      th.sub(step).intoArray(theta, i);
    }
  }

  private static void rmsProp(Updates.UpdateTask t, int from, int end) {
    float[] theta = t.theta;
    float[] grad = t.grad;
    float[] v = t.s1;
    float[] m = t.s2;
    float[] buf = t.s3;
    float lr = t.lr;
    float wd = t.wd;
    float alpha = t.b1;
    float oneMinusAlpha = t.oneMinusB1;
    float eps = t.eps;
    float mu = t.mu;
    for (int i = from; i < end; i += L) {
      FloatVector th = FloatVector.fromArray(S, theta, i);
      FloatVector g = gradient(th, grad, i, wd);
      FloatVector vi = FloatVector.fromArray(S, v, i).mul(alpha).add(g.mul(oneMinusAlpha).mul(g));
      vi.intoArray(v, i);
      FloatVector avg;
      if (m != null) {
        FloatVector mi = FloatVector.fromArray(S, m, i).mul(alpha).add(g.mul(oneMinusAlpha));
        mi.intoArray(m, i);
        avg = vi.sub(mi.mul(mi)).lanewise(VectorOperators.SQRT).add(eps);
      } else {
        avg = vi.lanewise(VectorOperators.SQRT).add(eps);
      }
      if (buf != null) {
        FloatVector b = FloatVector.fromArray(S, buf, i).mul(mu).add(g.div(avg));
        b.intoArray(buf, i);
        th.sub(b.mul(lr)).intoArray(theta, i);
      } else {
        th.sub(g.mul(lr).div(avg)).intoArray(theta, i);
      }
    }
  }

  private static void adam(Updates.UpdateTask t, int from, int end) {
    float[] theta = t.theta;
    float[] grad = t.grad;
    float[] m = t.s1;
    float[] v = t.s2;
    float[] vMax = t.s3;
    FloatVector stepSize = FloatVector.broadcast(S, t.lr);
    FloatVector wd = FloatVector.broadcast(S, t.wd);
    FloatVector b1 = FloatVector.broadcast(S, t.b1);
    FloatVector b2 = FloatVector.broadcast(S, t.b2);
    FloatVector oneMinusB1 = FloatVector.broadcast(S, t.oneMinusB1);
    FloatVector oneMinusB2 = FloatVector.broadcast(S, t.oneMinusB2);
    FloatVector sqrtBc2 = FloatVector.broadcast(S, t.sqrtBc2);
    FloatVector eps = FloatVector.broadcast(S, t.eps);
    boolean decay = t.decay;
    FloatVector shrink = FloatVector.broadcast(S, t.shrink);
    for (int i = from; i < end; i += L) {
      FloatVector th = FloatVector.fromArray(S, theta, i);
      if (decay) {
        th = th.mul(shrink);
      }
      FloatVector g = FloatVector.fromArray(S, grad, i).add(th.mul(wd));
      FloatVector mi = FloatVector.fromArray(S, m, i).mul(b1).add(g.mul(oneMinusB1));
      mi.intoArray(m, i);
      FloatVector vi = FloatVector.fromArray(S, v, i).mul(b2).add(g.mul(oneMinusB2).mul(g));
      vi.intoArray(v, i);
      FloatVector second = vi;
      if (vMax != null) {
        second = FloatVector.fromArray(S, vMax, i).max(vi);
        second.intoArray(vMax, i);
      }
      FloatVector denom = second.lanewise(VectorOperators.SQRT).div(sqrtBc2).add(eps);
      th.sub(mi.mul(stepSize).div(denom)).intoArray(theta, i);
    }
  }
}
