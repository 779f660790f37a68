package dev.annonet.optim;

/** Small objectives with hand-written gradients, for the optimizer tests. */
final class TestObjectives {

  private TestObjectives() {}

  /** {@code f(x, y) = x^2 - y^2}, a saddle at the origin. */
  static Objective saddle() {
    return new Objective() {
      @Override
      public int dimension() {
        return 2;
      }

      @Override
      public double value(float[] t) {
        return (double) t[0] * t[0] - (double) t[1] * t[1];
      }

      @Override
      public double valueAndGradient(float[] t, float[] g) {
        g[0] = 2 * t[0];
        g[1] = -2 * t[1];
        return value(t);
      }
    };
  }

  /** {@code f(x) = sum(a_i (x_i - b_i)^2) / 2}, convex with minimum 0 at {@code b}. */
  static Objective quadratic(float[] a, float[] b) {
    return new Objective() {
      @Override
      public int dimension() {
        return a.length;
      }

      @Override
      public double value(float[] t) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
          double r = t[i] - b[i];
          s += a[i] * r * r;
        }
        return s / 2;
      }

      @Override
      public double valueAndGradient(float[] t, float[] g) {
        for (int i = 0; i < a.length; i++) {
          g[i] = a[i] * (t[i] - b[i]);
        }
        return value(t);
      }
    };
  }

  /**
   * The reference problem of {@code make_optim_reference.py}: {@code sum(c theta^2) / 2 +
   * sum(d theta) + s sum(sin theta)}; the gradient is computed in float as PyTorch does.
   */
  static Objective quadSin(float[] c, float[] d, float s) {
    return new Objective() {
      @Override
      public int dimension() {
        return c.length;
      }

      @Override
      public double value(float[] t) {
        double v = 0;
        for (int i = 0; i < c.length; i++) {
          v += c[i] * (double) t[i] * t[i] / 2 + d[i] * (double) t[i] + s * Math.sin(t[i]);
        }
        return v;
      }

      @Override
      public double valueAndGradient(float[] t, float[] g) {
        for (int i = 0; i < c.length; i++) {
          g[i] = c[i] * t[i] + d[i] + s * (float) Math.cos(t[i]);
        }
        return value(t);
      }
    };
  }
}
