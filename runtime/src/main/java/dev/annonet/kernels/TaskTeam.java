package dev.annonet.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of worker threads that runs the parts of one {@link Task} beside the caller, for
 * kernels that split their work by image rather than by matrix column ({@link Conv2d},
 * {@link Pool}).
 *
 * <p>Like {@link GemmTeam} it hands work over through volatile fields and {@link LockSupport},
 * so nothing is allocated per task, and runs one task at a time: a caller that finds the team
 * busy runs its task alone. Tasks must compute the same bits however they are split; each
 * kernel documents how it ensures that.
 */
final class TaskTeam {

  /** Work split into parts; {@code run(part, parts)} does part {@code part} of {@code parts}. */
  abstract static class Task {
    abstract void run(int part, int parts);
  }

  /** Spins (each a pause instruction, tens of nanoseconds) a worker waits before parking. */
  private static final int IDLE_SPINS = 2000;

  private final Worker[] workers;
  private final AtomicBoolean busy = new AtomicBoolean();
  private volatile Thread caller;
  private volatile boolean stopped;
  /** The task being run; written by the caller before it posts to the workers. */
  private Task task;

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
    TaskTeam team = Kernels.taskTeam();
    if (team == null || !team.tryRun(task)) {
      task.run(0, 1);
    }
  }

  /** Runs the task's parts on the team; returns false, having done nothing, if it is busy. */
  boolean tryRun(Task task) {
    if (stopped || !busy.compareAndSet(false, true)) {
      return false;
    }
    try {
      this.task = task;
      caller = Thread.currentThread();
      for (Worker w : workers) {
        w.posted++; // volatile write: publishes the task
        LockSupport.unpark(w);
      }
      Throwable failure = null;
      try {
        task.run(0, threads());
      } catch (Throwable t) {
        // Still wait for the workers: they read the task the next one overwrites.
        failure = t;
      }
      for (Worker w : workers) {
        int spins = 0;
        while (w.finished != w.posted) {
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
      super("annonet-tasks-" + part);
      this.part = part;
      setDaemon(true);
    }

    @Override
    public void run() {
      int seen = 0;
      while (true) {
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
          task.run(part, threads());
        } catch (Throwable t) {
          failure = t;
        }
        finished = seen;
        LockSupport.unpark(caller);
      }
    }
  }
}
