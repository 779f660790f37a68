package dev.annonet.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Lipschitz} on quadratics {@code f = (x - b)^T A (x - b) / 2} whose largest eigenvalue
 * is known by construction, and {@link GradientDescent#withEstimatedLipschitz()} against the
 * course's Theorem 3.1.
 */
class LipschitzTest {

  private static final int N = 20;

  /**
   * {@code A = Q diag(lambda) Q} with {@code Q = I - 2 u u^T / |u|^2} (a Householder reflection:
   * symmetric and orthogonal), so A's eigenvalues are exactly {@code lambda}.
   */
  static double[][] matrix(double[] lambda, long seed) {
    int n = lambda.length;
    SplittableRandom random = new SplittableRandom(seed);
    double[] u = new double[n];
    double uu = 0;
    for (int i = 0; i < n; i++) {
      u[i] = random.nextGaussian();
      uu += u[i] * u[i];
    }
    double[][] q = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        q[i][j] = (i == j ? 1 : 0) - 2 * u[i] * u[j] / uu;
      }
    }
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += q[i][k] * lambda[k] * q[k][j];
        }
        a[i][j] = s;
      }
    }
    return a;
  }

  /** {@code (x - b)^T A (x - b) / 2}, gradient {@code A (x - b)} in double rounded to float. */
  static Objective quadratic(double[][] a, float[] b) {
    return new Objective() {
      @Override
      public int dimension() {
        return b.length;
      }

      @Override
      public double value(float[] x) {
        return valueAndGradient(x, new float[b.length]);
      }

      @Override
      public double valueAndGradient(float[] x, float[] g) {
        double f = 0;
        for (int i = 0; i < b.length; i++) {
          double s = 0;
          for (int j = 0; j < b.length; j++) {
            s += a[i][j] * ((double) x[j] - b[j]);
          }
          g[i] = (float) s;
          f += s * ((double) x[i] - b[i]);
        }
        return f / 2;
      }
    };
  }

  /** Eigenvalues 1 .. 10, evenly spaced: condition 10. */
  static double[] wellConditioned() {
    double[] lambda = new double[N];
    for (int i = 0; i < N; i++) {
      lambda[i] = 10 - 9.0 * i / (N - 1);
    }
    return lambda;
  }

  /**
   * Eigenvalues 100, 90, then down to 1e-3 geometrically: condition 1e5, and a second
   * eigenvalue close enough to the first to slow the power iteration down.
   */
  static double[] illConditioned() {
    double[] lambda = new double[N];
    lambda[0] = 100;
    for (int i = 1; i < N; i++) {
      lambda[i] = 90 * Math.pow(1e-3 / 90, (i - 1) / (N - 2.0));
    }
    return lambda;
  }

  private static float[] point(long seed, double scale) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[N];
    for (int i = 0; i < N; i++) {
      x[i] = (float) (scale * random.nextGaussian());
    }
    return x;
  }

  @ParameterizedTest(name = "well conditioned = {0}")
  @ValueSource(booleans = {true, false})
  void estimateIsWithinTwoPercentOfTheLargestEigenvalue(boolean well) {
    double[] lambda = well ? wellConditioned() : illConditioned();
    Objective f = quadratic(matrix(lambda, 7), point(1, 1));
    Lipschitz.Estimate e = Lipschitz.defaults().estimate(f, point(2, 3));
    double error = Math.abs(e.curvature() - lambda[0]) / lambda[0];
    assertTrue(error < 0.02, "estimate " + e + " for largest eigenvalue " + lambda[0]
        + ": relative error " + error);
    assertTrue(e.converged(), e.toString());
    assertEquals(1.1 * e.curvature(), e.constant(), 1e-12 * e.constant());
    // With the safety factor the constant is an upper bound of the true L.
    assertTrue(e.constant() >= lambda[0], e.toString());
    // Seeded: the same estimate twice, bit for bit.
    assertEquals(e, Lipschitz.defaults().estimate(f, point(2, 3)));
  }

  @ParameterizedTest(name = "well conditioned = {0}")
  @ValueSource(booleans = {true, false})
  void descentWithTheEstimatedStepMeetsTheorem31(boolean well) {
    double[] lambda = well ? wellConditioned() : illConditioned();
    Objective f = quadratic(matrix(lambda, 11), point(3, 1)); // f_min = 0 at b
    GradientDescent gd = GradientDescent.withEstimatedLipschitz();
    int steps = 300;
    Minimizer.Trajectory t = Minimizer.of(gd).maxSteps(steps).run(f, point(4, 2));
    double l = gd.lipschitz();
    assertTrue(l >= lambda[0] && l < 1.1 * 1.02 * lambda[0], "L = " + l);
    // Theorem 3.1: with step 1/L, min_{k < T} |grad f(theta_k)|^2 <= 2 L (f(theta_0) - f_min) / T
    // for every T, and f never increases.
    double smallest = Double.POSITIVE_INFINITY;
    for (int k = 0; k < steps; k++) {
      double g = t.gradientNorms()[k];
      smallest = Math.min(smallest, g * g);
      double bound = 2 * l * t.values()[0] / (k + 1);
      assertTrue(smallest <= bound, "T = " + (k + 1) + ": " + smallest + " > " + bound);
      assertTrue(t.values()[k + 1] <= t.values()[k], "f rose at step " + k);
    }
    // At condition 10 each step shrinks f by a factor (1 - 1/11)^2 or better along every
    // eigenvector; at condition 1e5 the small eigenvalues barely move in 300 steps, which is why
    // the theorem bounds gradients, not f.
    assertTrue(t.finalValue() < (well ? 1e-3 : 1) * t.values()[0], t.toString());
  }

  @Test
  void reestimatingEveryKStepsKeepsTheConstantOnAQuadratic() {
    double[] lambda = wellConditioned();
    Objective f = quadratic(matrix(lambda, 5), point(6, 1));
    GradientDescent once = GradientDescent.withEstimatedLipschitz();
    GradientDescent often = GradientDescent.withEstimatedLipschitz().reestimateEvery(10);
    Minimizer.of(once).maxSteps(30).run(f, point(7, 2));
    Minimizer.of(often).maxSteps(30).run(f, point(7, 2));
    // The Hessian is constant: every estimate finds the same eigenvalue.
    assertEquals(once.lipschitz(), often.lipschitz(), 0.02 * once.lipschitz());
    assertEquals("GradientDescent" + once.config() + " with " + Lipschitz.defaults()
        + " every 10", often.toString());
  }

  @Test
  void badInputIsRefusedNamingTheFix() {
    Objective linear = new Objective() {
      @Override
      public int dimension() {
        return 2;
      }

      @Override
      public double value(float[] x) {
        return x[0] + 2 * x[1];
      }

      @Override
      public double valueAndGradient(float[] x, float[] g) {
        g[0] = 1;
        g[1] = 2;
        return value(x);
      }
    };
    IllegalStateException flat = assertThrows(IllegalStateException.class,
        () -> Lipschitz.defaults().estimate(linear, new float[2]));
    assertTrue(flat.getMessage().contains("no curvature there and no step 1/L: use a fixed"
        + " step"), flat.getMessage());
    IllegalArgumentException safety =
        assertThrows(IllegalArgumentException.class, () -> Lipschitz.defaults().safety(0.9));
    assertEquals("Lipschitz: safety = 0.9 is outside the valid range [1, +inf)",
        safety.getMessage());
    IllegalStateException plain = assertThrows(IllegalStateException.class,
        () -> GradientDescent.withEstimatedLipschitz().step(new float[2], new float[2], 1));
    assertTrue(plain.getMessage().contains("call step(theta, grad, lr, objective, value)"),
        plain.getMessage());
    assertThrows(IllegalStateException.class,
        () -> GradientDescent.defaults().reestimateEvery(5));
  }
}
