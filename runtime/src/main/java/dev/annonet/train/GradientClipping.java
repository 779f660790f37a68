package dev.annonet.train;

/**
 * Rescales a gradient whose Euclidean norm exceeds a bound, as PyTorch's
 * {@code torch.nn.utils.clip_grad_norm_}: with {@code c = maxNorm / (norm + 1e-6)}, the gradient
 * is multiplied by {@code c} when {@code c < 1} and left alone otherwise. Allocates nothing.
 *
 * <p>Public so that a trainer in another module ({@code SparkTrainer}) clips exactly as
 * {@link Trainer#clipGradientNorm} does.
 */
public final class GradientClipping {

  /** Added to the norm before dividing, as PyTorch does. */
  static final double EPS = 1e-6;

  private GradientClipping() {}

  /**
   * Clips {@code gradient} in place to norm {@code maxNorm} and returns its norm before clipping
   * (NaN or infinite when the gradient holds a NaN or an infinity, in which case it is left
   * unchanged).
   */
  public static double clip(float[] gradient, double maxNorm) {
    double squares = 0;
    for (float g : gradient) {
      squares += (double) g * g;
    }
    double norm = Math.sqrt(squares);
    if (!Double.isFinite(norm)) {
      return norm;
    }
    double coefficient = maxNorm / (norm + EPS);
    if (coefficient < 1) {
      float c = (float) coefficient;
      for (int i = 0; i < gradient.length; i++) {
        gradient[i] *= c;
      }
    }
    return norm;
  }
}
