package dev.annonet.examples.optimizers;

import dev.annonet.optim.AdaGrad;
import dev.annonet.optim.Adam;
import dev.annonet.optim.AdamW;
import dev.annonet.optim.AmsGrad;
import dev.annonet.optim.GradientDescent;
import dev.annonet.optim.LineSearch;
import dev.annonet.optim.Minimizer;
import dev.annonet.optim.Momentum;
import dev.annonet.optim.Nesterov;
import dev.annonet.optim.Objective;
import dev.annonet.optim.Optimizer;
import dev.annonet.optim.RmsProp;
import dev.annonet.optim.Schedule;
import dev.annonet.optim.Sgd;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Runs every Annonet optimizer on two plain functions, without any network: it teaches that a
 * first-order method started exactly on the stable axis of the saddle {@code f(x, y) = x^2 - y^2}
 * converges to the saddle point (the gradient has no {@code y} component there), while a start a
 * hair off the axis escapes along {@code y}; and how fast each rule settles on a convex but badly
 * conditioned quadratic.
 *
 * <p>It also shows how to write an {@link Objective} (a value and a hand-written gradient) and
 * run an optimizer on it with {@link Minimizer}. Run with
 * {@code mvn -q -DskipTests -Prun -Dexample=dev.annonet.examples.optimizers.OptimizersExample
 * package}.
 */
public final class OptimizersExample {

  private OptimizersExample() {}

  /** {@code f(x, y) = x^2 - y^2}: minimum along x, maximum along y, a saddle at the origin. */
  static final class Saddle implements Objective {
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
  }

  /** {@code f(x, y) = (x - 1)^2 / 2 + 10 (y + 2)^2}: convex, minimum 0 at (1, -2), condition 20. */
  static final class Quadratic implements Objective {
    @Override
    public int dimension() {
      return 2;
    }

    @Override
    public double value(float[] t) {
      double dx = t[0] - 1;
      double dy = t[1] + 2;
      return dx * dx / 2 + 10 * dy * dy;
    }

    @Override
    public double valueAndGradient(float[] t, float[] g) {
      g[0] = t[0] - 1;
      g[1] = 20 * (t[1] + 2);
      return value(t);
    }
  }

  /** An optimizer under a display name, with the schedule it runs best with. */
  private record Entry(String name, Supplier<Optimizer> optimizer, Schedule schedule) {}

  private static List<Entry> entries() {
    // Adaptive rules step about lr whatever the gradient size, so they get a decaying schedule
    // to settle; the gradient-proportional rules converge with a constant step.
    Schedule decay = Schedule.stepDecay(0.5, 100);
    Schedule constant = Schedule.constant();
    return List.of(
        new Entry("GradientDescent", () -> GradientDescent.defaults().lr(0.04f), constant),
        new Entry("LineSearch", LineSearch::defaults, constant),
        new Entry("Sgd", () -> Sgd.defaults().lr(0.04f), constant),
        new Entry("Momentum.lecture", () -> Momentum.lecture(0.9).lr(0.04f), constant),
        new Entry("Momentum.heavyBall", () -> Momentum.heavyBall(0.9).lr(0.01f), constant),
        new Entry("Nesterov", () -> Nesterov.defaults().lr(0.01f), constant),
        new Entry("AdaGrad", () -> AdaGrad.defaults().lr(1f), constant),
        new Entry("RmsProp", () -> RmsProp.defaults().lr(0.05f), decay),
        new Entry("Adam", () -> Adam.defaults().lr(0.1f), decay),
        new Entry("AmsGrad", () -> AmsGrad.defaults().lr(0.1f), decay),
        new Entry("AdamW", () -> AdamW.defaults().lr(0.1f), decay));
  }

  public static void main(String[] args) {
    Saddle saddle = new Saddle();
    System.out.println("Saddle f(x, y) = x^2 - y^2, 100 steps");
    table(saddle, new float[] {1, 0}, 100, 0);
    table(saddle, new float[] {1, 1e-3f}, 100, 0);
    System.out.println("On the x-axis the gradient is (2x, 0): every method stays on the axis and"
        + " stalls at the saddle (0, 0).");
    System.out.println("A start 1e-3 off the axis grows along y, where f decreases without bound.");
    System.out.println();

    System.out.println("Convex f(x, y) = (x - 1)^2 / 2 + 10 (y + 2)^2, minimum at (1, -2);"
        + " stop when |grad| < 1e-4 or after 2000 steps");
    table(new Quadratic(), new float[] {-3, 3}, 2000, 1e-4);
    System.out.println("Adam and AmsGrad take steps of about lr until the schedule shrinks lr, so"
        + " their gradient norm falls slowly;");
    System.out.println("AdamW settles near, not at, the minimum: its decoupled weight decay"
        + " (default 1e-2) pulls every weight towards 0.");
  }

  private static void table(Objective f, float[] start, int maxSteps, double tolerance) {
    System.out.printf(Locale.ROOT, "from (%g, %g)%n", start[0], start[1]);
    System.out.printf(Locale.ROOT, "  %-20s %6s %-10s %-27s %s%n", "optimizer", "steps", "stop",
        "final point", "final f");
    for (Entry e : entries()) {
      Minimizer.Trajectory t = Minimizer.of(e.optimizer().get()).schedule(e.schedule())
          .maxSteps(maxSteps).tolerance(tolerance).run(f, start);
      float[] p = t.last();
      System.out.printf(Locale.ROOT, "  %-20s %6d %-10s (%11.4e, %11.4e) %11.4e%n", e.name(),
          t.steps(), t.stop(), p[0], p[1], t.finalValue());
    }
  }
}
