package dev.annonet.kernels;

/**
 * The optimizers' per-parameter update loops, on the Vector API when present and split across
 * the kernel threads ({@link Kernels#setThreads}) by ranges of parameters once there are enough
 * of them to pay for the hand-over.
 *
 * <p>Every parameter's update depends on that parameter alone, and the vector loops apply the
 * same IEEE operations in the same order as the scalar ones (separate multiplies and adds, never
 * a fused multiply-add; a square root rounded once), so the results are bit-identical whichever
 * path and however many threads run them. {@code UpdatesTest} checks both.
 *
 * <p>Each formula is written as its optimizer documents it, with the weight decay folded into
 * the gradient first ({@code g = grad + wd * theta}; {@code wd = 0} for none). Arrays hold at
 * least {@code n} values; the caller (the optimizer) has checked the sizes.
 */
public final class Updates {

  /**
   * Parameters a part should have at least, so handing a part to a worker pays for itself.
   * Measured on an Intel Xeon (AVX-512), 2-thread steps: LeNet-5's Adam update of 44k
   * parameters took 35-41 us split in two against 56-58 us on the caller alone; W2's 9.6k
   * parameters 6.5-7.0 us against 8.0-10.9 (`StepProfile`, alternating JVMs), and W2's step
   * 1.25-1.26M samples/s against 1.19-1.20M (two JMH runs each).
   */
  static final int MIN_PART = 1 << 12;

  /** Ranges are cut at multiples of this, whole vectors and whole cache lines. */
  static final int UNIT = 64;

  enum Rule {
    SGD,
    MOMENTUM,
    NESTEROV,
    ADAGRAD,
    RMSPROP,
    ADAM
  }

  private Updates() {}

  /** Plain SGD: {@code theta -= lr * g}. */
  public static void sgd(float[] theta, float[] grad, int n, float lr, float wd) {
    UpdateTask t = UpdateTask.of(Rule.SGD, theta, grad, null, null, null, n);
    t.lr = lr;
    t.wd = wd;
    t.go();
  }

  /** Heavy-ball momentum: {@code v = mu * v + gain * g; theta -= lr * v}. */
  public static void momentum(float[] theta, float[] grad, float[] v, int n, float lr,
      float mu, float gain, float wd) {
    UpdateTask t = UpdateTask.of(Rule.MOMENTUM, theta, grad, v, null, null, n);
    t.lr = lr;
    t.mu = mu;
    t.gain = gain;
    t.wd = wd;
    t.go();
  }

  /** Nesterov momentum: {@code buf = mu * buf + g; theta -= lr * (g + mu * buf)}. */
  public static void nesterov(float[] theta, float[] grad, float[] buf, int n, float lr,
      float mu, float wd) {
    UpdateTask t = UpdateTask.of(Rule.NESTEROV, theta, grad, buf, null, null, n);
    t.lr = lr;
    t.mu = mu;
    t.wd = wd;
    t.go();
  }

  /** AdaGrad: {@code sum += g * g; theta -= lr * g / (sqrt(sum) + eps)}. */
  public static void adaGrad(float[] theta, float[] grad, float[] sum, int n, float lr,
      float eps, float wd) {
    UpdateTask t = UpdateTask.of(Rule.ADAGRAD, theta, grad, sum, null, null, n);
    t.lr = lr;
    t.eps = eps;
    t.wd = wd;
    t.go();
  }

  /**
   * RMSProp: {@code v = alpha * v + (1 - alpha) * g * g}; centered ({@code gradAvg} not null):
   * {@code m = alpha * m + (1 - alpha) * g, avg = sqrt(v - m * m) + eps}, else {@code avg =
   * sqrt(v) + eps}; with momentum ({@code buf} not null): {@code buf = mu * buf + g / avg;
   * theta -= lr * buf}, else {@code theta -= lr * g / avg}.
   */
  public static void rmsProp(float[] theta, float[] grad, float[] v, float[] gradAvg,
      float[] buf, int n, float lr, float alpha, float oneMinusAlpha, float eps, float wd,
      float mu) {
    UpdateTask t = UpdateTask.of(Rule.RMSPROP, theta, grad, v, gradAvg, buf, n);
    t.lr = lr;
    t.b1 = alpha;
    t.oneMinusB1 = oneMinusAlpha;
    t.eps = eps;
    t.wd = wd;
    t.mu = mu;
    t.go();
  }

  /**
   * Adam, AMSGrad and AdamW: {@code theta *= shrink} if {@code decay}; {@code m = b1 * m + (1 -
   * b1) * g; v = b2 * v + (1 - b2) * g * g}; with {@code vMax} (AMSGrad) {@code vMax =
   * max(vMax, v)} is used for v below; {@code theta -= stepSize * m / (sqrt(v) / sqrtBc2 +
   * eps)}.
   */
  public static void adam(float[] theta, float[] grad, float[] m, float[] v, float[] vMax,
      int n, float stepSize, float sqrtBc2, float b1, float b2, float oneMinusB1,
      float oneMinusB2, float eps, float wd, boolean decay, float shrink) {
    UpdateTask t = UpdateTask.of(Rule.ADAM, theta, grad, m, v, vMax, n);
    t.lr = stepSize;
    t.sqrtBc2 = sqrtBc2;
    t.b1 = b1;
    t.b2 = b2;
    t.oneMinusB1 = oneMinusB1;
    t.oneMinusB2 = oneMinusB2;
    t.eps = eps;
    t.wd = wd;
    t.decay = decay;
    t.shrink = shrink;
    t.go();
  }

  /** Parts for {@code n} parameters on {@code threads}: whole units, enough work each. */
  static int partsFor(int n, int threads) {
    return Math.max(1, Math.min(threads, n / MIN_PART));
  }

  /**
   * One update in flight: the rule, its arrays and scalars. Each calling thread owns one,
   * reused from step to step, so an update allocates nothing.
   */
  static final class UpdateTask extends TaskTeam.Task {
    private static final ThreadLocal<UpdateTask> OWN = ThreadLocal.withInitial(UpdateTask::new);

    Rule rule;
    boolean vector;
    int n;
    float[] theta;
    float[] grad;
    /** The rule's state arrays, in the order of its method's parameters (null where unused). */
    float[] s1;
    float[] s2;
    float[] s3;
    float lr;
    float wd;
    float mu;
    float gain;
    float eps;
    float b1;
    float b2;
    float oneMinusB1;
    float oneMinusB2;
    float sqrtBc2;
    boolean decay;
    float shrink;

    static UpdateTask of(Rule rule, float[] theta, float[] grad, float[] s1, float[] s2,
        float[] s3, int n) {
      UpdateTask t = OWN.get();
      t.rule = rule;
      t.vector = Kernels.vectorApiAvailable();
      t.n = n;
      t.theta = theta;
      t.grad = grad;
      t.s1 = s1;
      t.s2 = s2;
      t.s3 = s3;
      return t;
    }

    /** Runs the update, on the team when it is large enough ({@link #parts}). */
    void go() {
      try {
        TaskTeam.run(this);
      } finally {
        // Drop references to the caller's arrays.
        theta = null;
        grad = null;
        s1 = null;
        s2 = null;
        s3 = null;
      }
    }

    @Override
    int parts(int threads) {
      return partsFor(n, threads);
    }

    @Override
    String kind() {
      return "optimizer update";
    }

    @Override
    void run(int part, int parts) {
      int units = (n + UNIT - 1) / UNIT;
      int from = Math.min(n, (int) ((long) units * part / parts) * UNIT);
      int to = Math.min(n, (int) ((long) units * (part + 1) / parts) * UNIT);
      range(from, to);
    }

    /** Updates parameters {@code [from, to)}. */
    void range(int from, int to) {
      int i = vector ? VectorUpdates.range(this, from, to) : from;
      if (i < to) {
        plain(i, to);
      }
    }

    /** The scalar loops, the definition the vector ones match. */
    private void plain(int from, int to) {
      float[] th = theta;
      float[] gr = grad;
      switch (rule) {
        case SGD -> {
          for (int i = from; i < to; i++) {
            float g = gr[i] + wd * th[i];
            th[i] -= lr * g;
          }
        }
        case MOMENTUM -> {
          float[] v = s1;
          for (int i = from; i < to; i++) {
            float g = gr[i] + wd * th[i];
            v[i] = mu * v[i] + gain * g;
            th[i] -= lr * v[i];
          }
        }
        case NESTEROV -> {
          float[] buf = s1;
          for (int i = from; i < to; i++) {
            float g = gr[i] + wd * th[i];
            buf[i] = mu * buf[i] + g;
            th[i] -= lr * (g + mu * buf[i]);
          }
        }
        case ADAGRAD -> {
          float[] sum = s1;
          for (int i = from; i < to; i++) {
            float g = gr[i] + wd * th[i];
            sum[i] += g * g;
            th[i] -= lr * g / ((float) Math.sqrt(sum[i]) + eps);
          }
        }
        case RMSPROP -> {
          float[] v = s1;
          float[] m = s2;
          float[] buf = s3;
          for (int i = from; i < to; i++) {
            float g = gr[i] + wd * th[i];
            v[i] = b1 * v[i] + oneMinusB1 * g * g;
            float avg;
            if (m != null) {
              m[i] = b1 * m[i] + oneMinusB1 * g;
              avg = (float) Math.sqrt(v[i] - m[i] * m[i]) + eps;
            } else {
              avg = (float) Math.sqrt(v[i]) + eps;
            }
            if (buf != null) {
              buf[i] = mu * buf[i] + g / avg;
              th[i] -= lr * buf[i];
            } else {
              th[i] -= lr * g / avg;
            }
          }
        }
        case ADAM -> {
          float[] m = s1;
          float[] v = s2;
          float[] vMax = s3;
          for (int i = from; i < to; i++) {
            if (decay) {
              th[i] *= shrink;
            }
            float g = gr[i] + wd * th[i];
            m[i] = b1 * m[i] + oneMinusB1 * g;
            v[i] = b2 * v[i] + oneMinusB2 * g * g;
            float second = v[i];
            if (vMax != null) {
              // PyTorch keeps the maximum of the raw v and bias-corrects it with this step's.
              vMax[i] = Math.max(vMax[i], v[i]);
              second = vMax[i];
            }
            float denom = (float) Math.sqrt(second) / sqrtBc2 + eps;
            th[i] -= lr * m[i] / denom;
          }
        }
        default -> throw new AssertionError(rule);
      }
    }
  }
}
