package dev.annonet.kernels;

/**
 * Elementwise activations, each with its derivative.
 *
 * <p>All but the GELUs have a derivative computed from {@code y = f(x)} alone (dfdx's
 * {@code DF_USES_FX}), so generated code keeps only post-activation buffers and fuses the
 * derivative into the backward product ({@link Dense#backwardInput}). GELU is not invertible
 * ({@link #derivativeNeedsInput}): a layer with it keeps its input, the pre-activation, in a
 * buffer of its own ({@link #applyInPlaceKeepingInput}) and turns the gradient of its output into
 * that of its pre-activation itself ({@link #multiplyByDerivativeAt}) before its backward pass;
 * the kernels around it see IDENTITY.
 */
public enum Activation {
  /** {@code f(x) = x}. */
  IDENTITY {
    @Override
    public float apply(float x, float alpha) {
      return x;
    }

    @Override
    public float derivativeFromOutput(float y, float alpha) {
      return 1f;
    }
  },
  /**
   * {@code f(x) = max(0, x)}, as PyTorch's {@code nn.ReLU}: NaN stays NaN (so a diverged weight
   * in front of it shows in the loss) and -0 becomes 0; the derivative at 0 is taken as 0.
   */
  RELU {
    @Override
    public float apply(float x, float alpha) {
      // NaN <= 0f is false, so NaN is kept (x > 0f ? x : 0f would turn it into 0). A scalar
      // compare and move, faster than Math.max's NaN and -0 handling where C2 does not
      // vectorize the loop (the GEMM epilogues); applyInPlace uses Math.max, which it does.
      return x <= 0f ? 0f : x;
    }

    @Override
    public float derivativeFromOutput(float y, float alpha) {
      // y > 0f ? 1f : 0f without a branch (the bits of 1f, or of 0f).
      return Float.intBitsToFloat(positiveMask(y) & 0x3f800000);
    }
  },
  /**
   * {@code f(x) = x > 0 ? x : alpha * x}, as PyTorch's {@code nn.LeakyReLU(alpha)}; NaN stays NaN
   * ({@code alpha * NaN}).
   */
  LEAKY_RELU {
    @Override
    public float apply(float x, float alpha) {
      return x > 0f ? x : alpha * x;
    }

    // With 0 < alpha, y > 0 exactly when x > 0, so the output decides the branch.
    @Override
    public float derivativeFromOutput(float y, float alpha) {
      return y > 0f ? 1f : alpha;
    }
  },
  /** {@code f(x) = 1 / (1 + exp(-x))}; {@code f' = y (1 - y)}. */
  SIGMOID {
    @Override
    public float apply(float x, float alpha) {
      // Evaluated in double and rounded once, so large |x| saturates cleanly to 0 or 1.
      return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    @Override
    public float derivativeFromOutput(float y, float alpha) {
      return y * (1f - y);
    }
  },
  /** {@code f(x) = tanh(x)}; {@code f' = 1 - y^2}. */
  TANH {
    @Override
    public float apply(float x, float alpha) {
      return (float) Math.tanh(x);
    }

    @Override
    public float derivativeFromOutput(float y, float alpha) {
      return 1f - y * y;
    }
  },
  /**
   * {@code f(x) = x Phi(x) = x/2 (1 + erf(x / sqrt 2))}, PyTorch's {@code nn.GELU()} (its
   * {@code approximate='none'}); {@code f'(x) = Phi(x) + x phi(x)}, from x only. Computed in
   * double and rounded once ({@link FloatGelu}, vectorized over arrays), the same bits element by
   * element as over an array.
   */
  GELU {
    @Override
    public float apply(float x, float alpha) {
      return FloatGelu.gelu(x);
    }

    @Override
    public float derivative(float x, float alpha) {
      return FloatGelu.geluDerivative(x);
    }

    @Override
    public boolean derivativeNeedsInput() {
      return true;
    }
  },
  /**
   * {@code f(x) = x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, PyTorch's {@code
   * nn.GELU(approximate='tanh')}; its derivative needs x.
   */
  GELU_TANH {
    @Override
    public float apply(float x, float alpha) {
      return (float) (0.5 * x * (1 + Math.tanh(Erf.geluTanhArgument(x))));
    }

    @Override
    public float derivative(float x, float alpha) {
      double t = Math.tanh(Erf.geluTanhArgument(x));
      double du = Erf.SQRT_2_OVER_PI * (1 + 3 * Erf.GELU_TANH_CUBIC * (double) x * x);
      return (float) (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du);
    }

    @Override
    public boolean derivativeNeedsInput() {
      return true;
    }
  };

  /** Returns {@code f(x)}; {@code alpha} is the negative slope, used only by LEAKY_RELU. */
  public abstract float apply(float x, float alpha);

  /**
   * Returns {@code f'(x)} computed from {@code y = f(x)}.
   *
   * @throws UnsupportedOperationException for an activation whose {@link #derivativeNeedsInput}
   */
  public float derivativeFromOutput(float y, float alpha) {
    throw new UnsupportedOperationException(
        this + " is not invertible: its derivative needs the input, see derivative(x)");
  }

  /** Returns {@code f'(x)} computed from the input x. */
  public float derivative(float x, float alpha) {
    return derivativeFromOutput(apply(x, alpha), alpha);
  }

  /**
   * Whether {@code f'} needs the input x rather than the output (GELU): such an activation is
   * never fused into a kernel's epilogue; its layer keeps x and applies {@code f'} itself.
   */
  public boolean derivativeNeedsInput() {
    return false;
  }

  /**
   * Copies {@code a[aOff .. aOff+len)} into {@code in[inOff ..]}, then replaces each element of
   * {@code a} by {@code f} of it: a layer with an activation whose {@link #derivativeNeedsInput}
   * keeps its pre-activation for backward. Long arrays are shared with the kernel threads.
   */
  public void applyInPlaceKeepingInput(float[] a, int aOff, float[] in, int inOff, int len,
      float alpha) {
    if (derivativeNeedsInput() && ActivationTask.tryShare(ActivationTask.APPLY_KEEPING_INPUT,
        this, a, aOff, in, inOff, len, alpha)) {
      return;
    }
    System.arraycopy(a, aOff, in, inOff, len);
    applyInPlaceHere(a, aOff, len, alpha);
  }

  /**
   * Multiplies {@code d[dOff .. dOff+len)} by {@code f'(x)} for x in {@code x[xOff ..]}: the
   * gradient of a layer's output becomes that of its pre-activation. Long arrays are shared
   * with the kernel threads.
   */
  public void multiplyByDerivativeAt(float[] d, int dOff, float[] x, int xOff, int len,
      float alpha) {
    if (derivativeNeedsInput() && ActivationTask.tryShare(ActivationTask.DERIVATIVE_AT, this,
        d, dOff, x, xOff, len, alpha)) {
      return;
    }
    multiplyByDerivativeAtHere(d, dOff, x, xOff, len, alpha);
  }

  /** {@link #multiplyByDerivativeAt} on the calling thread. */
  void multiplyByDerivativeAtHere(float[] d, int dOff, float[] x, int xOff, int len,
      float alpha) {
    if (this == GELU) {
      FloatGelu.multiplyByDerivativeAt(d, dOff, x, xOff, len, Kernels.vectorApiAvailable());
      return;
    }
    for (int i = 0; i < len; i++) {
      d[dOff + i] *= derivative(x[xOff + i], alpha);
    }
  }

  /**
   * Replaces {@code a[off .. off+len)} by {@code f} of each element; long arrays of the costly
   * activations that are never fused (GELU) are shared with the kernel threads.
   */
  public void applyInPlace(float[] a, int off, int len, float alpha) {
    if (derivativeNeedsInput()
        && ActivationTask.tryShare(ActivationTask.APPLY, this, a, off, null, 0, len, alpha)) {
      return;
    }
    applyInPlaceHere(a, off, len, alpha);
  }

  /** {@link #applyInPlace} on the calling thread. */
  void applyInPlaceHere(float[] a, int off, int len, float alpha) {
    int end = off + len;
    // One loop per constant keeps the branch out of the element loop, so C2 can vectorize
    // the piecewise-linear cases.
    switch (this) {
      case IDENTITY:
        return;
      case RELU:
        for (int i = off; i < end; i++) {
          // C2 vectorizes Math.max (20x the speed of the compare and move here), NaN kept.
          a[i] = Math.max(a[i], 0f);
        }
        return;
      case LEAKY_RELU:
        for (int i = off; i < end; i++) {
          a[i] = a[i] > 0f ? a[i] : alpha * a[i];
        }
        return;
      case GELU:
        FloatGelu.apply(a, off, len, Kernels.vectorApiAvailable());
        return;
      default:
        for (int i = off; i < end; i++) {
          a[i] = apply(a[i], alpha);
        }
    }
  }

  /**
   * All ones if {@code y > 0f}, else 0 (NaN, zeros and negatives), without a branch: ReLU's
   * derivative as a bit mask, so {@code bits(d) & positiveMask(y)} is exactly
   * {@code y > 0f ? d : 0f}. On trained networks about half the units are off in no pattern a
   * branch predictor can learn, and a mispredicted branch per element doubled the time of
   * max-pooling's backward pass.
   */
  static int positiveMask(float y) {
    int bits = Float.floatToRawIntBits(y);
    // y > 0f exactly when 1 <= bits <= bits(+Infinity) as a signed int.
    return ~(((bits - 1) | (0x7f800000 - bits)) >> 31);
  }

  /**
   * Multiplies {@code d[dOff .. dOff+len)} by {@code f'} computed from {@code y[yOff ..]}: the
   * gradient of a layer's output becomes that of its pre-activation, from the output, where a
   * kernel (a recurrent layer's) does not fuse it.
   */
  public void multiplyByDerivative(float[] d, int dOff, float[] y, int yOff, int len, float alpha) {
    switch (this) {
      case IDENTITY:
        return;
      case RELU:
        for (int i = 0; i < len; i++) {
          d[dOff + i] = Float.intBitsToFloat(
              Float.floatToRawIntBits(d[dOff + i]) & positiveMask(y[yOff + i]));
        }
        return;
      default:
        for (int i = 0; i < len; i++) {
          d[dOff + i] *= derivativeFromOutput(y[yOff + i], alpha);
        }
    }
  }
}
