package dev.annonet;

/** Checks that generated models run before touching their buffers, so errors name the cause. */
public final class Models {
  private Models() {}

  /** Throws a clear exception unless {@code x} and {@code y} hold {@code batch} samples. */
  public static void checkBatch(Model model, float[] x, float[] y, int batch) {
    checkBatch(model, x, batch);
    if (y.length < (long) batch * model.targetSize()) {
      throw new IllegalArgumentException(
          model.name() + ": y has " + y.length + " floats, fewer than batch " + batch + " x "
              + model.targetSize() + " targets per sample");
    }
  }

  /** Throws a clear exception unless {@code x} holds {@code batch} samples. */
  public static void checkBatch(Model model, float[] x, int batch) {
    if (batch <= 0) {
      throw new IllegalArgumentException(
          model.name() + ": batch size must be positive, got " + batch);
    }
    if (x.length < (long) batch * model.inputSize()) {
      throw new IllegalArgumentException(
          model.name() + ": x has " + x.length + " floats, fewer than batch " + batch + " x "
              + model.inputSize() + " inputs per sample");
    }
  }
}
