package dev.annonet;

import java.util.SplittableRandom;

/**
 * Checks a model's gradient against central finite differences of its loss, parameter by
 * parameter: the tool to trust a network (and the tests' way to check generated code).
 *
 * <p>The loss is float; differences are taken in double over the float parameter actually
 * stored. Where the loss is not smooth within a step (a ReLU, max-pool or |r| kink), differences
 * with a step and with half of it disagree; such parameters are counted as kinks and skipped,
 * since finite differences say nothing there (a wrong gradient does not cause that). Run in
 * inference mode for networks with dropout, whose training-mode loss is random.
 */
public final class GradientCheck {
  /** Step of the central differences; float losses allow no smaller. */
  public static final float STEP = 1e-3f;
  /** A gradient passes if {@code |analytic - numeric| <= ABSOLUTE + RELATIVE * max(|a|, |n|)}. */
  public static final double RELATIVE = 1e-2;

  public static final double ABSOLUTE = 1e-3;

  /** Float rounding of the loss makes one-sided differences noisier than central ones. */
  private static final double KINK = 3e-3;

  private GradientCheck() {}

  /**
   * The outcome: the parameter that exceeds the tolerance most (or -1 if none does), its
   * gradients, and how many parameters sat on a kink.
   */
  public record Result(
      String model, int worst, String worstName, double analytic, double numeric, double excess,
      int kinks, int parameters) {

    /** True when every smooth parameter is within tolerance and at most a tenth sit on kinks. */
    public boolean passed() {
      return worst < 0 && kinks <= parameters / 10;
    }

    /** What went wrong, naming the worst parameter; or that all is well. */
    public String message() {
      if (worst >= 0) {
        return model + ": gradient of " + worstName + " (index " + worst + ") is " + analytic
            + " but finite differences give " + numeric + "; difference exceeds the tolerance by "
            + excess;
      }
      if (kinks > parameters / 10) {
        return model + ": " + kinks + " of " + parameters + " parameters sit on a kink; the check"
            + " is meaningless on this batch";
      }
      return model + ": gradient matches finite differences (" + kinks + " kinks skipped)";
    }
  }

  /** Random inputs (standard normal, or token ids) and valid targets for {@code model}'s task. */
  public static float[][] randomBatch(Model model, int batch, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[batch * model.inputSize()];
    for (int i = 0; i < x.length; i++) {
      x[i] = model.vocabulary() > 0 ? rng.nextInt(model.vocabulary()) : (float) gaussian(rng);
    }
    float[] y = new float[batch * model.targetSize()];
    for (int i = 0; i < y.length; i++) {
      y[i] =
          switch (model.task()) {
            case MULTICLASS -> rng.nextInt(model.outputSize() / model.steps());
            case BINARY -> rng.nextInt(2);
            case REGRESSION -> (float) (0.5 * gaussian(rng));
          };
    }
    return new float[][] {x, y};
  }

  /** Checks every parameter on a random batch of {@code batch} samples made from {@code seed}. */
  public static Result check(Model model, int batch, long seed) {
    float[][] data = randomBatch(model, batch, seed);
    return check(model, data[0], data[1], batch);
  }

  /** Checks every parameter's gradient on the given batch. */
  public static Result check(Model model, float[] x, float[] y, int batch) {
    model.lossAndGradient(x, y, batch);
    float[] analytic = model.gradients().clone();
    float[] p = model.parameters();
    int worst = -1;
    double worstExcess = 0;
    double worstNumeric = 0;
    int kinks = 0;
    double base = model.loss(x, y, batch);
    for (int k = 0; k < p.length; k++) {
      double[] full = differences(model, x, y, batch, k, STEP, base);
      double[] half = differences(model, x, y, batch, k, STEP / 2, base);
      double numeric = full[0];
      // Smooth: the central differences agree, and the one-sided ones differ by h L'', so the
      // full step's gap is twice the half step's. A kink within the step breaks one or both.
      if (Math.abs(numeric - half[0]) > ABSOLUTE + RELATIVE * Math.abs(half[0])
          || Math.abs(full[1] - 2 * half[1]) > KINK + RELATIVE * Math.abs(numeric)) {
        kinks++;
        continue;
      }
      double diff = Math.abs(analytic[k] - numeric);
      double allowed = ABSOLUTE + RELATIVE * Math.max(Math.abs(analytic[k]), Math.abs(numeric));
      if (diff - allowed > worstExcess) {
        worstExcess = diff - allowed;
        worst = k;
        worstNumeric = numeric;
      }
    }
    return new Result(
        model.name(), worst, worst < 0 ? "" : parameterName(model, worst),
        worst < 0 ? 0 : analytic[worst], worstNumeric, worstExcess, kinks, p.length);
  }

  /**
   * {central difference, forward minus backward difference} of the loss in parameter {@code k}
   * with step {@code step}, given the loss {@code base} at the current parameters.
   */
  private static double[] differences(
      Model model, float[] x, float[] y, int batch, int k, float step, double base) {
    float[] p = model.parameters();
    float saved = p[k];
    float up = saved + step;
    float down = saved - step;
    p[k] = up;
    double lossUp = model.loss(x, y, batch);
    p[k] = down;
    double lossDown = model.loss(x, y, batch);
    p[k] = saved;
    double forward = (lossUp - base) / ((double) up - saved);
    double backward = (base - lossDown) / ((double) saved - down);
    return new double[] {(lossUp - lossDown) / ((double) up - down), forward - backward};
  }

  /** The PyTorch-style name of flat parameter {@code k}, e.g. {@code f1.weight[3]}. */
  public static String parameterName(Model model, int k) {
    for (LayerInfo layer : model.layers()) {
      for (LayerInfo.Tensor t : layer.tensors()) {
        if (k >= t.offset() && k < t.offset() + t.size()) {
          return layer.fileName(t) + "[" + (k - t.offset()) + "]";
        }
      }
    }
    return "parameter " + k;
  }

  private static double gaussian(SplittableRandom rng) {
    double u = 1 - rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
  }
}
