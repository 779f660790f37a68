package dev.annonet.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of worker threads that splits one product's columns between them and the caller.
 *
 * <p>Handing work over through volatile fields and {@link LockSupport} (rather than an executor)
 * allocates nothing per product. Each thread computes whole columns of C with the same k
 * slicing as a single thread, so results are bit-identical for any number of threads. One
 * product at a time: a caller that finds the team busy runs its product alone.
 */
final class GemmTeam {

  /** Columns are handed out in multiples of this, a multiple of every vector kernel's NR. */
  private static final int UNIT = 32;

  /** Spins (each a pause instruction, tens of nanoseconds) a worker waits before parking. */
  private static final int IDLE_SPINS = 2000;

  private final Worker[] workers;
  private final AtomicBoolean busy = new AtomicBoolean();
  private volatile Thread caller;
  /** Products run on the team so far, for tests; written only by the caller holding busy. */
  private volatile long shared;
  private volatile boolean stopped;

  // The product being shared; written by the caller before it posts to the workers.
  private Gemm.Impl impl;
  private int m;
  private int n;
  private int k;
  private float[] a;
  private int aOff;
  private boolean transA;
  private float[] b;
  private int bOff;
  private boolean transB;
  private float[] c;
  private int cOff;
  private boolean transC;
  private int mode;
  private float[] e;
  private int eOff;
  private Activation act;
  private float alpha;

  GemmTeam(int threads) {
    workers = new Worker[threads - 1];
    for (int w = 0; w < workers.length; w++) {
      workers[w] = new Worker(w + 1);
      workers[w].start();
    }
  }

  /** Threads sharing a product, the caller included. */
  int threads() {
    return workers.length + 1;
  }

  /** Returns how many products have been shared on this team. */
  long shared() {
    return shared;
  }

  /** Lets the workers exit once idle. */
  void stop() {
    stopped = true;
    for (Worker w : workers) {
      LockSupport.unpark(w);
    }
  }

  /**
   * Runs the product on the team, as {@code VectorGemm.multiply} or {@code PlainGemm.multiply}
   * per {@code impl}; returns false, having done nothing, if the team is busy.
   */
  boolean tryRun(Gemm.Impl impl, int m, int n, int k, float[] a, int aOff, boolean transA,
      float[] b, int bOff, boolean transB, float[] c, int cOff, boolean transC, int mode,
      float[] e, int eOff, Activation act, float alpha) {
    if (stopped || !busy.compareAndSet(false, true)) {
      return false;
    }
    try {
      this.impl = impl;
      this.m = m;
      this.n = n;
      this.k = k;
      this.a = a;
      this.aOff = aOff;
      this.transA = transA;
      this.b = b;
      this.bOff = bOff;
      this.transB = transB;
      this.c = c;
      this.cOff = cOff;
      this.transC = transC;
      this.mode = mode;
      this.e = e;
      this.eOff = eOff;
      this.act = act;
      this.alpha = alpha;
      caller = Thread.currentThread();
      for (Worker w : workers) {
        w.posted++; // volatile write: publishes the fields above
        LockSupport.unpark(w);
      }
      shared++;
      Throwable failure = null;
      try {
        runPart(0);
      } catch (Throwable t) {
        // Still wait for the workers: they read the fields the next product overwrites.
        failure = t;
      }
      for (Worker w : workers) {
        int spins = 0;
        while (w.finished != w.posted) {
          // Parts are equal, so the wait is short: spin first, then park.
          if (spins++ < 10_000) {
            Thread.onSpinWait();
          } else {
            LockSupport.park(this);
          }
        }
        if (w.failure != null) {
          failure = failure == null ? w.failure : failure;
          w.failure = null;
        }
      }
      // Drop references to the caller's arrays.
      this.a = null;
      this.b = null;
      this.c = null;
      this.e = null;
      if (failure instanceof RuntimeException) {
        throw (RuntimeException) failure;
      } else if (failure instanceof Error) {
        throw (Error) failure;
      } else if (failure != null) {
        throw new IllegalStateException(failure);
      }
      return true;
    } finally {
      busy.set(false);
    }
  }

  /** Computes the columns of part {@code part} of {@link #threads()}. */
  private void runPart(int part) {
    int units = (n + UNIT - 1) / UNIT;
    int parts = threads();
    int j0 = Math.min(n, (int) ((long) units * part / parts) * UNIT);
    int j1 = Math.min(n, (int) ((long) units * (part + 1) / parts) * UNIT);
    if (j0 >= j1) {
      return;
    }
    if (impl == Gemm.Impl.VECTOR) {
      VectorGemm.multiply(m, n, k, a, aOff, transA, b, bOff, transB, c, cOff, transC, mode, e,
          eOff, act, alpha, j0, j1);
    } else {
      PlainGemm.multiply(m, n, k, a, aOff, transA, b, bOff, transB, c, cOff, transC, mode, e,
          eOff, act, alpha, j0, j1);
    }
  }

  /** One worker: waits for a posted product, computes its part, reports back. */
  private final class Worker extends Thread {
    private final int part;
    volatile int posted;
    volatile int finished;
    Throwable failure;

    Worker(int part) {
      super("annonet-kernels-" + part);
      this.part = part;
      setDaemon(true);
    }

    @Override
    public void run() {
      int seen = 0;
      while (true) {
        // A training step issues products back to back: spin a little before parking, since
        // waking a parked thread costs tens of microseconds.
        for (int spins = 0; posted == seen && spins < IDLE_SPINS; spins++) {
          Thread.onSpinWait();
        }
        while (posted == seen) {
          if (stopped) {
            return;
          }
          LockSupport.park(this);
        }
        seen = posted;
        try {
          runPart(part);
        } catch (Throwable t) {
          failure = t;
        }
        finished = seen;
        LockSupport.unpark(caller);
      }
    }
  }
}
