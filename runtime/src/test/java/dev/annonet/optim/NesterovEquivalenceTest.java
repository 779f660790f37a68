package dev.annonet.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * Shows that {@link Nesterov} (PyTorch's form, gradient at the current parameters) is the lecture's
 * look-ahead Nesterov, {@code v <- mu v - lr grad f(theta + mu v); theta <- theta + v}, in the
 * variable {@code phi = theta + mu v}.
 *
 * <p>Derivation: with {@code g = grad f(phi_k)}, {@code phi_{k+1} = theta_{k+1} + mu v_{k+1} =
 * phi_k - mu v_k + (1 + mu) v_{k+1} = phi_k + mu^2 v_k - (1 + mu) lr g}; PyTorch's iterate with
 * {@code buf = -v / lr} is {@code p - lr (g + mu (mu buf + g)) = p + mu^2 v - (1 + mu) lr g}.
 */
class NesterovEquivalenceTest {

  /** An explicit gradient callback, so the look-ahead form can evaluate it anywhere. */
  private interface Gradient {
    void at(double[] x, double[] g);
  }

  private static final double[] A = {1.0, 10.0, 0.3};
  private static final double[] B = {0.5, -1.0, 2.0};

  /** Gradient of {@code sum(a_i (x_i - b_i)^2) / 2}, an ill-conditioned quadratic. */
  private static final Gradient QUADRATIC = (x, g) -> {
    for (int i = 0; i < x.length; i++) {
      g[i] = A[i] * (x[i] - B[i]);
    }
  };

  private static final double MU = 0.9;
  private static final float LR = 0.05f;
  private static final int STEPS = 60;

  /** Runs the look-ahead form in double; returns theta_k and v_k for k = 0..STEPS. */
  private static double[][][] lookAhead(double[] theta0) {
    int n = theta0.length;
    double[][] thetas = new double[STEPS + 1][];
    double[][] vs = new double[STEPS + 1][];
    double[] theta = theta0.clone();
    double[] v = new double[n];
    double[] ahead = new double[n];
    double[] g = new double[n];
    thetas[0] = theta.clone();
    vs[0] = v.clone();
    for (int k = 1; k <= STEPS; k++) {
      for (int i = 0; i < n; i++) {
        ahead[i] = theta[i] + MU * v[i];
      }
      QUADRATIC.at(ahead, g);
      for (int i = 0; i < n; i++) {
        v[i] = MU * v[i] - LR * g[i];
        theta[i] += v[i];
      }
      thetas[k] = theta.clone();
      vs[k] = v.clone();
    }
    return new double[][][] {thetas, vs};
  }

  /** Runs {@link Nesterov} from {@code theta0}, the gradient taken at its own iterate. */
  private static float[][] torchForm(double[] theta0) {
    int n = theta0.length;
    float[] p = new float[n];
    for (int i = 0; i < n; i++) {
      p[i] = (float) theta0[i];
    }
    Nesterov nesterov = Nesterov.defaults().lr(LR).momentum(MU);
    float[][] out = new float[STEPS + 1][];
    out[0] = p.clone();
    double[] x = new double[n];
    double[] g = new double[n];
    float[] gf = new float[n];
    for (int k = 1; k <= STEPS; k++) {
      for (int i = 0; i < n; i++) {
        x[i] = p[i];
      }
      QUADRATIC.at(x, g);
      for (int i = 0; i < n; i++) {
        gf[i] = (float) g[i];
      }
      nesterov.step(p, gf, LR);
      out[k] = p.clone();
    }
    return out;
  }

  @Test
  void trajectoriesCoincideInTheLookAheadVariable() {
    double[] theta0 = {3.0, 2.0, -4.0};
    double[][][] la = lookAhead(theta0);
    float[][] torch = torchForm(theta0);
    for (int k = 0; k <= STEPS; k++) {
      for (int i = 0; i < theta0.length; i++) {
        // phi_0 = theta_0 because v_0 = 0, so both runs start at the same point.
        double phi = la[0][k][i] + MU * la[1][k][i];
        if (!Tolerances.closeFloat(phi, torch[k][i])) {
          fail(String.format("step %d, index %d: phi = theta + mu v = %s (look-ahead), "
              + "Nesterov iterate = %s", k, i, phi, torch[k][i]));
        }
      }
    }
  }

  @Test
  void withoutTheChangeOfVariablesTheTrajectoriesDiffer() {
    // Control: the comparison above is not vacuous, theta_k itself is a different sequence.
    double[] theta0 = {3.0, 2.0, -4.0};
    double[][][] la = lookAhead(theta0);
    float[][] torch = torchForm(theta0);
    double maxDiff = 0;
    for (int k = 1; k <= STEPS; k++) {
      for (int i = 0; i < theta0.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(la[0][k][i] - torch[k][i]));
      }
    }
    assertTrue(maxDiff > 1e-2, "theta_k and the Nesterov iterate differ by only " + maxDiff);
  }
}
