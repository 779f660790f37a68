package dev.annonet.kernels;

/**
 * Layer normalisation as PyTorch's {@code nn.LayerNorm(n)} over each sample's {@code n} values:
 * {@code z = gamma * (x - mean) / sqrt(var + eps) + beta} with the sample's mean and biased
 * variance, {@code out = act(z)}; {@code gamma} and {@code beta} are {@code [n]} at
 * {@code p[gammaOff]} and {@code p[betaOff]}. Layout {@code [batch][n]}.
 *
 * <p>Large calls are shared with the kernel threads: the forward pass and the input gradient by
 * ranges of samples, the gradients of gamma and beta by ranges of the n columns, each summed
 * over the samples in order. No split changes a sum, so the bits are those of one thread.
 * Nothing is allocated once the per-thread sums have grown to the widest layer.
 */
public final class LayerNorm {

  /** Values ({@code batch * n}) from which a call is shared with the kernel threads. */
  static final int SHARE_MIN = 1 << 15;

  /** Per-thread column sums of the parameter gradient (gamma's, then beta's). */
  private static final ThreadLocal<double[][]> SUMS = ThreadLocal.withInitial(() ->
      new double[1][0]);

  /** Per-thread job describing the call being shared, reused from call to call. */
  private static final ThreadLocal<Job> JOB = ThreadLocal.withInitial(Job::new);

  private LayerNorm() {}

  /** Normalises each sample; saves {@code xhat [batch][n]} and {@code invStd [batch]}. */
  public static void forward(
      float[] in, float[] p, int gammaOff, int betaOff, float[] out, float[] xhat,
      float[] invStd, int batch, int n, float eps, Activation act, float alpha) {
    Job job = JOB.get();
    job.forward = true;
    job.in = in;
    job.p = p;
    job.gammaOff = gammaOff;
    job.betaOff = betaOff;
    job.out = out;
    job.xhat = xhat;
    job.invStd = invStd;
    job.batch = batch;
    job.n = n;
    job.eps = eps;
    job.act = act;
    job.alpha = alpha;
    job.runShared();
  }

  private static void forwardRows(int b0, int b1, float[] in, float[] p, int gammaOff,
      int betaOff, float[] out, float[] xhat, float[] invStd, int n, float eps, Activation act,
      float alpha) {
    for (int b = b0; b < b1; b++) {
      int row = b * n;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += in[row + i];
      }
      double mean = sum / n;
      double squares = 0;
      for (int i = 0; i < n; i++) {
        double d = in[row + i] - mean;
        squares += d * d;
      }
      float inv = (float) (1.0 / Math.sqrt(squares / n + eps));
      invStd[b] = inv;
      float m = (float) mean;
      for (int i = 0; i < n; i++) {
        float xh = (in[row + i] - m) * inv;
        xhat[row + i] = xh;
        out[row + i] = act.apply(p[gammaOff + i] * xh + p[betaOff + i], alpha);
      }
    }
  }

  /**
   * From {@code dZ} = dL/dz: overwrites {@code g[gammaOff + i] = sum_b dZ xhat} and
   * {@code g[betaOff + i] = sum_b dZ}; unless {@code dIn} is null, writes per sample {@code dIn =
   * actIn'(in) * invStd / n * (n dxhat - sum dxhat - xhat sum(dxhat xhat))}, {@code dxhat =
   * gamma dZ}.
   */
  public static void backward(
      float[] dZ, float[] xhat, float[] invStd, float[] p, int gammaOff, int betaOff, float[] g,
      float[] in, float[] dIn, int batch, int n, Activation actIn, float alphaIn) {
    Job job = JOB.get();
    job.forward = false;
    job.dZ = dZ;
    job.xhat = xhat;
    job.invStd = invStd;
    job.p = p;
    job.gammaOff = gammaOff;
    job.betaOff = betaOff;
    job.g = g;
    job.in = in;
    job.dIn = dIn;
    job.batch = batch;
    job.n = n;
    job.act = actIn;
    job.alpha = alphaIn;
    job.runShared();
  }

  /**
   * {@link #backward}'s parameter gradient alone, from the rows {@code [from, from + batch)}:
   * one slice's, the same bits as the slice's rows alone ({@code BatchSlices}); on the caller.
   */
  public static void backwardParams(float[] dZ, float[] xhat, int from, float[] g,
      int gammaOff, int betaOff, int batch, int n) {
    parameterColumns(0, n, dZ, xhat, g, gammaOff, betaOff, from, batch, n);
  }

  /** {@link #backward}'s input gradient alone, into {@code dIn}. */
  public static void backwardInput(float[] dZ, float[] xhat, float[] invStd, float[] p,
      int gammaOff, float[] in, float[] dIn, int batch, int n, Activation actIn, float alphaIn) {
    backward(dZ, xhat, invStd, p, gammaOff, 0, null, in, dIn, batch, n, actIn, alphaIn);
  }

  /**
   * Columns {@code [i0, i1)} of the parameter gradient from rows {@code [from, from + batch)}:
   * each column's products summed over the samples in order, in double, sample by sample across
   * the columns (rows are read in order).
   */
  private static void parameterColumns(int i0, int i1, float[] dZ, float[] xhat, float[] g,
      int gammaOff, int betaOff, int from, int batch, int n) {
    int w = i1 - i0;
    double[][] holder = SUMS.get();
    if (holder[0].length < 2 * w) {
      holder[0] = new double[2 * w];
    }
    double[] s = holder[0];
    java.util.Arrays.fill(s, 0, 2 * w, 0.0);
    for (int b = from; b < from + batch; b++) {
      int row = b * n;
      for (int i = i0; i < i1; i++) {
        float d = dZ[row + i];
        s[i - i0] += (double) d * xhat[row + i];
        s[w + i - i0] += d;
      }
    }
    for (int i = i0; i < i1; i++) {
      g[gammaOff + i] = (float) s[i - i0];
      g[betaOff + i] = (float) s[w + i - i0];
    }
  }

  private static void inputRows(int b0, int b1, float[] dZ, float[] xhat, float[] invStd,
      float[] p, int gammaOff, float[] in, float[] dIn, int n, Activation actIn, float alphaIn) {
    for (int b = b0; b < b1; b++) {
      int row = b * n;
      double sum = 0;
      double sumX = 0;
      for (int i = 0; i < n; i++) {
        double dx = (double) p[gammaOff + i] * dZ[row + i];
        sum += dx;
        sumX += dx * xhat[row + i];
      }
      float k = invStd[b] / n;
      for (int i = 0; i < n; i++) {
        float dx = p[gammaOff + i] * dZ[row + i];
        float d = k * (n * dx - (float) sum - xhat[row + i] * (float) sumX);
        dIn[row + i] = actIn.derivativeFromOutput(in[row + i], alphaIn) * d;
      }
    }
  }

  /**
   * One call, shared between threads or run whole: part p of P takes the p-th range of samples
   * (forward, input gradient) and, backward, the p-th range of columns (parameter gradient).
   */
  private static final class Job extends TaskTeam.Task {
    boolean forward;
    float[] in;
    float[] p;
    int gammaOff;
    int betaOff;
    float[] out;
    float[] xhat;
    float[] invStd;
    float[] dZ;
    float[] g;
    float[] dIn;
    int batch;
    int n;
    float eps;
    Activation act;
    float alpha;

    void runShared() {
      try {
        if ((long) batch * n >= SHARE_MIN) {
          TaskTeam.run(this);
        } else {
          run(0, 1);
        }
      } finally {
        in = null;
        p = null;
        out = null;
        xhat = null;
        invStd = null;
        dZ = null;
        g = null;
        dIn = null;
      }
    }

    @Override
    int parts(int threads) {
      return Math.min(threads, Math.min(batch, n));
    }

    @Override
    String kind() {
      return forward ? "layer norm, forward" : "layer norm, backward";
    }

    @Override
    void run(int part, int parts) {
      int b0 = (int) ((long) batch * part / parts);
      int b1 = (int) ((long) batch * (part + 1) / parts);
      if (forward) {
        forwardRows(b0, b1, in, p, gammaOff, betaOff, out, xhat, invStd, n, eps, act, alpha);
        return;
      }
      int i0 = (int) ((long) n * part / parts);
      int i1 = (int) ((long) n * (part + 1) / parts);
      if (g != null) {
        parameterColumns(i0, i1, dZ, xhat, g, gammaOff, betaOff, 0, batch, n);
      }
      if (dIn != null) {
        inputRows(b0, b1, dZ, xhat, invStd, p, gammaOff, in, dIn, n, act, alpha);
      }
    }
  }
}
