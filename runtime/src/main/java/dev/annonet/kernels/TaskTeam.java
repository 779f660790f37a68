package dev.annonet.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The kernel threads: a fixed team of workers that runs the parts of one {@link Task} beside
 * the caller. Every kernel that splits its work shares this one team: products by column
 * ({@link GemmTask}), convolution and pooling by image ({@link Conv2d}, {@link Pool}). One team
 * means at most {@code threads} threads ever compete for the cores, however kernels nest or
 * follow each other.
 *
 * <p>Work is handed over through volatile fields and {@link LockSupport} rather than an
 * executor, so nothing is allocated per task. One task at a time: a caller that finds the team
 * busy (another caller's task, or a product inside a convolution's part) runs its work alone.
 * Tasks must compute the same bits however they are split; each kernel documents how it
 * ensures that.
 */
final class TaskTeam {

  /** Work split into parts; {@code run(part, parts)} does part {@code part} of {@code parts}. */
  abstract static class Task {
    abstract void run(int part, int parts);

    /**
     * How many parts to cut the work into on a team of {@code threads}; at most {@code
     * threads}, and fewer where parts would be empty or too small to pay for the hand-over.
     * Workers beyond it stay idle, so a wide team costs a small task nothing.
     */
    int parts(int threads) {
      return threads;
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
  private volatile Thread caller;
  private volatile boolean stopped;
  /** Tasks run on the team so far, for tests; written only by the caller holding busy. */
  private volatile long shared;
  /** The task being run and its part count; written by the caller before it posts. */
  private Task task;
  private int parts;

  TaskTeam(int threads) {
    workers = new Worker[threads - 1];
    for (int w = 0; w < workers.length; w++) {
      workers[w] = new Worker(w + 1);
      workers[w].start();
    }
  }

  /** Threads sharing a task, the caller included. */
  int threads() {
    return workers.length + 1;
  }

  /** Returns how many tasks have been shared on this team. */
  long shared() {
    return shared;
  }

  /** Whether a task is running now; a hint, to skip setting up work that would run alone. */
  boolean isBusy() {
    return busy.get();
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
    int parts = Math.min(task.parts(threads()), threads());
    if (parts < 2 || stopped || !busy.compareAndSet(false, true)) {
      return false;
    }
    try {
      this.task = task;
      this.parts = parts;
      caller = Thread.currentThread();
      for (int i = 0; i < parts - 1; i++) {
        Worker w = workers[i];
        w.posted++; // volatile write: publishes the task
        LockSupport.unpark(w);
      }
      shared++;
      Throwable failure = null;
      try {
        task.run(0, parts);
      } catch (Throwable t) {
        // Still wait for the workers: they read the task the next one overwrites.
        failure = t;
      }
      for (int i = 0; i < parts - 1; i++) {
        Worker w = workers[i];
        // Parts are equal, so the wait is short: spin first (reading the clock every 64
        // spins), then park until the worker's unpark.
        long spinStart = System.nanoTime();
        boolean spinning = true;
        for (int spins = 1; w.finished != w.posted; spins++) {
          if (spinning && (spins & 63) == 0) {
            spinning = System.nanoTime() - spinStart < SPIN_NANOS;
          }
          if (spinning) {
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
      this.task = null;
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

  /** One worker: waits for a posted task, runs its part, reports back. */
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
        long spinStart = System.nanoTime();
        for (int spins = 1; posted == seen && !stopped; spins++) {
          if ((spins & 63) == 0 && System.nanoTime() - spinStart >= SPIN_NANOS) {
            break;
          }
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
          task.run(part, parts);
        } catch (Throwable t) {
          failure = t;
        }
        finished = seen;
        LockSupport.unpark(caller);
      }
    }
  }
}
