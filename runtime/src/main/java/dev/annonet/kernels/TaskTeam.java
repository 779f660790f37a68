package dev.annonet.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The kernel threads: a fixed team of workers that runs the parts of one {@link Task} beside
 * the caller. Every kernel that splits its work shares this one team: products by column
 * ({@link GemmTask}), convolution and pooling by image ({@link Conv2d}, {@link Pool}), optimizer
 * updates by parameter range ({@link Updates}). One team means at most {@code threads} threads
 * ever compete for the cores, however kernels nest or follow each other.
 *
 * <p>The parts of a task are claimed, not assigned: the caller and every woken worker take the
 * next unclaimed part until none is left, and the caller waits only for parts already being
 * run. A worker that the machine does not schedule in time (other processes, JIT or GC threads
 * on the same cores) therefore costs nothing but its share: the caller runs its part instead,
 * and a step is never much slower than on one thread. Parts are fixed by the task, never by
 * which thread runs them, so results are bit-identical at any thread count and under any load.
 *
 * <p>Work is handed over through atomic fields and {@link LockSupport} rather than an executor,
 * so nothing is allocated per task. One task at a time: a caller that finds the team busy
 * (another caller's task, or a product inside a convolution's part) runs its work alone.
 */
final class TaskTeam {

  /** Work split into parts; {@code run(part, parts)} does part {@code part} of {@code parts}. */
  abstract static class Task {
    abstract void run(int part, int parts);

    /**
     * How many parts to cut the work into on a team of {@code threads}: usually at most {@code
     * threads}, and fewer where parts would be empty or too small to pay for the hand-over.
     * Workers beyond it are not woken, so a wide team costs a small task nothing. More parts
     * than threads are claimed as threads come free (uneven parts, such as a batch's slices).
     */
    int parts(int threads) {
      return threads;
    }

    /**
     * Does up front the work that parts running together divide among themselves as they go
     * (a shared product's packing of A), so that the parts then find it done. Only {@link
     * ScalingEstimate} calls it: it runs parts one after another, so the first would otherwise
     * do all of that work alone; it times this call apart and spreads it evenly over the
     * threads. None by default.
     */
    void runSharedWork() {}

    /** What the task computes, in a few words, for {@link ScalingEstimate}'s breakdown. */
    String kind() {
      return getClass().getSimpleName();
    }
  }

  /**
   * How long a thread spins (pause instructions) for the next task or a part to finish before
   * it parks. Waking a parked thread took 50 to 130 microseconds on the 2-core machines this
   * was measured on (a task that found its worker spinning took half a microsecond), and a
   * training step leaves gaps of tens of microseconds between shared kernels (a loss, a small
   * product, the next batch's rows), so a worker must outwait them: with 2000 spins (20 to 50
   * microseconds) W3 paid a wake-up several times per step. A millisecond bounds the waste to
   * one core-millisecond per idle spell and the wake-up to a tenth of any longer gap.
   */
  static final long SPIN_NANOS = 1_000_000;

  private final Worker[] workers;
  private final AtomicBoolean busy = new AtomicBoolean();
  private volatile boolean stopped;
  /** Tasks run on the team so far, for tests; written only by the caller holding busy. */
  private volatile long shared;

  /**
   * The claims on the current task's parts: its generation (bits 32-63), its part count (bits
   * 16-31) and the next unclaimed part (bits 0-15). A claim is a compare-and-set that keeps the
   * generation, so a worker that wakes after its task is done claims nothing of the next one.
   */
  private final AtomicLong claims = new AtomicLong();
  /** Parts of the current generation run to the end. */
  private final AtomicInteger done = new AtomicInteger();
  /** The generation posted last; workers wait for it to change. */
  private volatile int generation;
  /** The current task; written by the caller before it publishes the generation's claims. */
  private Task task;
  private volatile Throwable failure;
  private volatile Thread caller;
  private volatile boolean callerParked;
  /** Times the parts of a team that only pretends to have threads; null on a real team. */
  private final ScalingEstimate.PartClock clock;
  /** The pretended thread count, with {@link #clock}. */
  private final int pretended;

  TaskTeam(int threads) {
    workers = new Worker[threads - 1];
    for (int w = 0; w < workers.length; w++) {
      workers[w] = new Worker(w + 1);
      workers[w].start();
    }
    clock = null;
    pretended = 0;
  }

  /**
   * A team without workers that cuts every task into the parts {@code threads} threads would
   * get, runs them one after the other on the caller and hands their times to {@code clock}
   * ({@link ScalingEstimate}).
   */
  TaskTeam(int threads, ScalingEstimate.PartClock clock) {
    workers = new Worker[0];
    this.clock = clock;
    pretended = threads;
  }

  /** Threads sharing a task, the caller included. */
  int threads() {
    return clock != null ? pretended : workers.length + 1;
  }

  /** Returns how many tasks have been shared on this team. */
  long shared() {
    return shared;
  }

  /** Whether a task is running now; a hint, to skip setting up work that would run alone. */
  boolean isBusy() {
    return busy.get();
  }

  /**
   * The kernel team if there is one and no task is running on it, else null: where a kernel
   * decides whether setting up a shared task is worth it ({@link #tryRun} still decides).
   */
  static TaskTeam idle() {
    TaskTeam team = Kernels.team();
    return team == null || team.isBusy() ? null : team;
  }

  /** Lets the workers exit once idle. */
  void stop() {
    stopped = true;
    for (Worker w : workers) {
      LockSupport.unpark(w);
    }
  }

  /**
   * Runs {@code task} on the kernel threads set by {@link Kernels#setThreads}, or all of it on
   * the caller (as one part) when there is one thread or the team is busy.
   */
  static void run(Task task) {
    TaskTeam team = Kernels.team();
    if (team == null || !team.tryRun(task)) {
      task.run(0, 1);
    }
  }

  /** Runs the task's parts on the team; returns false, having done nothing, if it is busy. */
  boolean tryRun(Task task) {
    int parts = Math.min(task.parts(threads()), 0xFFFF);
    if (parts < 2 || stopped || !busy.compareAndSet(false, true)) {
      return false;
    }
    if (clock != null) {
      try {
        clock.runTimed(task, parts, pretended);
        shared++;
        return true;
      } finally {
        busy.set(false);
      }
    }
    try {
      this.task = task;
      failure = null;
      caller = Thread.currentThread();
      done.set(0);
      int gen = generation + 1;
      claims.set(((long) gen << 32) | ((long) parts << 16)); // publishes the fields above
      generation = gen;
      for (int i = 0; i < Math.min(parts, threads()) - 1; i++) {
        workers[i].wake();
      }
      shared++;
      runParts(gen);
      awaitParts(parts);
      this.task = null;
      Throwable f = failure;
      failure = null;
      if (f instanceof RuntimeException) {
        throw (RuntimeException) f;
      } else if (f instanceof Error) {
        throw (Error) f;
      } else if (f != null) {
        throw new IllegalStateException(f);
      }
      return true;
    } finally {
      busy.set(false);
    }
  }

  /** Claims and runs parts of generation {@code gen} until none is left unclaimed. */
  private void runParts(int gen) {
    while (true) {
      long c = claims.get();
      int part = (int) (c & 0xFFFF);
      int parts = (int) ((c >>> 16) & 0xFFFF);
      if ((int) (c >>> 32) != gen || part >= parts) {
        return;
      }
      if (!claims.compareAndSet(c, c + 1)) {
        continue;
      }
      // The claim succeeded, so this generation's task is not finished: task is still its own.
      try {
        task.run(part, parts);
      } catch (Throwable t) {
        // The caller still waits for every part: the next task overwrites this one's fields.
        if (failure == null) {
          failure = t;
        }
      }
      if (done.incrementAndGet() == parts && callerParked) {
        LockSupport.unpark(caller);
      }
    }
  }

  /** Waits until all {@code parts} have run: spins first (the parts are equal), then parks. */
  private void awaitParts(int parts) {
    long spinStart = System.nanoTime();
    for (int spins = 1; done.get() < parts; spins++) {
      if ((spins & 63) == 0 && System.nanoTime() - spinStart >= SPIN_NANOS) {
        callerParked = true;
        while (done.get() < parts) {
          LockSupport.park(this);
        }
        callerParked = false;
        return;
      }
      Thread.onSpinWait();
    }
  }

  /** One worker: waits for a new generation, claims parts of it, waits again. */
  private final class Worker extends Thread {
    private volatile boolean parked;

    Worker(int part) {
      super("annonet-kernels-" + part);
      setDaemon(true);
    }

    /** Unparks this worker if it is parked; a spinning worker sees the generation itself. */
    void wake() {
      if (parked) {
        LockSupport.unpark(this);
      }
    }

    @Override
    public void run() {
      int seen = generation;
      while (true) {
        long spinStart = System.nanoTime();
        for (int spins = 1; generation == seen && !stopped; spins++) {
          if ((spins & 63) == 0 && System.nanoTime() - spinStart >= SPIN_NANOS) {
            break;
          }
          Thread.onSpinWait();
        }
        // parked is set before generation is read again and the caller sets generation before
        // it reads parked, so one of the two sees the other's write: no wake-up is lost.
        parked = true;
        while (generation == seen && !stopped) {
          LockSupport.park(this);
        }
        parked = false;
        if (stopped) {
          return;
        }
        seen = generation;
        runParts(seen);
      }
    }
  }
}
