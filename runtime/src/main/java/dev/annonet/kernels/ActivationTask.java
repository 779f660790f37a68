package dev.annonet.kernels;

/**
 * An activation that is never fused into a product's epilogue (GELU, whose derivative needs the
 * input) applied to a long array on the kernel team, split into ranges of whole units of
 * elements. Each element's result depends on that element alone, and GELU gives the same bits
 * element by element as over an array, so any split gives the bits of one thread. GELU's exact
 * form costs about 8 ns per element: in the small GPT (W6) its forward and backward passes were
 * 17% of the step, all of it on one core before.
 *
 * <p>Each calling thread owns one task, reused from call to call, so sharing allocates nothing.
 */
final class ActivationTask extends TaskTeam.Task {

  /** Elements a part should have at least, so that waking a worker pays for itself. */
  static final int MIN_PART = 1 << 14;

  /** Ranges are whole multiples of this many elements (a multiple of every vector width). */
  static final int UNIT = 64;

  static final int APPLY = 0;
  static final int APPLY_KEEPING_INPUT = 1;
  static final int DERIVATIVE_AT = 2;

  private static final ThreadLocal<ActivationTask> OWN =
      ThreadLocal.withInitial(ActivationTask::new);

  private int op;
  private Activation act;
  /** APPLY*: the array activated in place; DERIVATIVE_AT: the gradient multiplied. */
  private float[] a;
  private int aOff;
  /** APPLY_KEEPING_INPUT: where the input is kept; DERIVATIVE_AT: the input. */
  private float[] b;
  private int bOff;
  private int len;
  private float alpha;

  private ActivationTask() {}

  /**
   * Runs {@code op} on the kernel team; returns false, having done nothing, when the array is
   * too short to share, there is no team or it is busy.
   */
  static boolean tryShare(int op, Activation act, float[] a, int aOff, float[] b, int bOff,
      int len, float alpha) {
    if (len < 2 * MIN_PART) {
      return false;
    }
    TaskTeam team = TaskTeam.idle();
    if (team == null) {
      return false;
    }
    ActivationTask t = OWN.get();
    t.op = op;
    t.act = act;
    t.a = a;
    t.aOff = aOff;
    t.b = b;
    t.bOff = bOff;
    t.len = len;
    t.alpha = alpha;
    try {
      return team.tryRun(t);
    } finally {
      t.a = null;
      t.b = null;
    }
  }

  @Override
  int parts(int threads) {
    return Math.min(threads, len / MIN_PART);
  }

  @Override
  String kind() {
    return op == DERIVATIVE_AT ? "activation, derivative" : "activation";
  }

  @Override
  void run(int part, int parts) {
    int units = (len + UNIT - 1) / UNIT;
    int from = Math.min(len, (int) ((long) units * part / parts) * UNIT);
    int to = Math.min(len, (int) ((long) units * (part + 1) / parts) * UNIT);
    if (from >= to) {
      return;
    }
    switch (op) {
      case APPLY_KEEPING_INPUT:
        System.arraycopy(a, aOff + from, b, bOff + from, to - from);
        act.applyInPlaceHere(a, aOff + from, to - from, alpha);
        return;
      case APPLY:
        act.applyInPlaceHere(a, aOff + from, to - from, alpha);
        return;
      default:
        act.multiplyByDerivativeAtHere(a, aOff + from, b, bOff + from, to - from, alpha);
    }
  }
}
