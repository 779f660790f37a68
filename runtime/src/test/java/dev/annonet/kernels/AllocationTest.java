package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Checks that training-step kernel calls allocate nothing once the JIT has compiled them. */
class AllocationTest {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @AfterEach
  void restorePath() {
    Kernels.forcePlain(false);
    Kernels.setThreads(1);
  }

  // Until C2 compiles the kernels, the interpreter boxes every Vector API value, so the check
  // is: some window of calls, within a bounded warm-up, allocates exactly zero bytes. The
  // warm-up is at least 400 windows and at most 30 seconds: on a loaded machine the compiler
  // threads get little time, while a kernel that really allocates never has a clean window.
  @ParameterizedTest(name = "plain={0} batch={1} nIn={2} nOut={3} threads={4}")
  @CsvSource({"false, 32, 13, 64, 1", "false, 64, 300, 70, 1", "false, 64, 128, 10, 1",
      "true, 32, 13, 64, 1", "true, 64, 300, 70, 1", "true, 64, 128, 10, 1",
      "false, 64, 600, 70, 2", "true, 64, 600, 70, 2", "false, 32, 64, 1, 1",
      "false, 1, 300, 70, 1", "false, 1030, 129, 10, 2"})
  void repeatedForwardBackwardAllocatesNothingAfterWarmUp(boolean plain, int batch, int nIn,
      int nOut, int threads) {
    Kernels.forcePlain(plain);
    Kernels.setThreads(threads);
    SplittableRandom rnd = new SplittableRandom(3);
    float[] x = Naive.random(rnd, batch * nIn, 1);
    float[] p = Naive.random(rnd, nOut * nIn + nOut, 1);
    float[] g = new float[p.length];
    float[] out = new float[batch * nOut];
    float[] dOut = Naive.random(rnd, batch * nOut, 1);
    float[] dX = new float[batch * nIn];
    assertAllocatesNothingAfterWarmUp(() -> {
      Dense.forward(x, p, 0, nOut * nIn, out, batch, nIn, nOut, Activation.RELU, 0f);
      Dense.forward(x, p, 0, nOut * nIn, out, batch, nIn, nOut, Activation.SIGMOID, 0f);
      Dense.backwardParams(dOut, x, g, 0, nOut * nIn, batch, nIn, nOut);
      Dense.backwardInput(dOut, p, 0, x, dX, batch, nIn, nOut, Activation.TANH, 0f);
      Dense.backwardInput(dOut, p, 0, x, dX, batch, nIn, nOut, Activation.LEAKY_RELU, 0.1f);
    });
  }

  // Sizes whose products run on the packed kernels, shared at 2 threads.
  @ParameterizedTest(name = "{0} plain={1} threads={2}")
  @CsvSource({"LSTM, false, 1", "LSTM, true, 1", "LSTM, false, 2", "GRU, false, 1",
      "GRU, true, 1", "GRU, false, 2"})
  void recurrentForwardBackwardAllocatesNothingAfterWarmUp(RecurrentKind kind, boolean plain,
      int threads) {
    Kernels.forcePlain(plain);
    Kernels.setThreads(threads);
    int batch = 8;
    int steps = 4;
    int nIn = 16;
    int hidden = 128;
    SplittableRandom rnd = new SplittableRandom(3);
    float[] x = Naive.random(rnd, batch * steps * nIn, 1);
    float[] p = Naive.random(rnd, kind.parameterCount(nIn, hidden), 0.1);
    float[] g = new float[p.length];
    float[] out = new float[batch * steps * hidden];
    float[] dOut = Naive.random(rnd, out.length, 1);
    float[] dX = new float[x.length];
    float[] work = new float[kind.workSize(batch, steps, nIn, hidden)];
    assertAllocatesNothingAfterWarmUp(() -> {
      kind.forward(x, p, 0, out, true, work, batch, steps, nIn, hidden);
      kind.backward(dOut, true, p, 0, g, dX, work, batch, steps, nIn, hidden);
      kind.forward(x, p, 0, out, false, work, batch, steps, nIn, hidden);
      kind.backward(dOut, false, p, 0, g, null, work, batch, steps, nIn, hidden);
    });
  }

  /** Runs {@code calls} in windows of 20 until one window allocates nothing, or fails. */
  private static void assertAllocatesNothingAfterWarmUp(Runnable calls) {
    long last = -1;
    long deadline = System.nanoTime() + 30_000_000_000L;
    int window = 0;
    for (; window < 400 || System.nanoTime() < deadline; window++) {
      long before = THREADS.getCurrentThreadAllocatedBytes();
      for (int r = 0; r < 20; r++) {
        calls.run();
      }
      last = THREADS.getCurrentThreadAllocatedBytes() - before;
      if (last == 0) {
        return;
      }
    }
    fail("still allocating after " + window * 20 + " warm-up steps: " + last
        + " bytes in the last 20; where: " + allocationSites(calls));
  }

  /**
   * Where {@code calls} allocate, for a failure message: the code frames of the most frequent
   * allocating stacks (JFR's TLAB events over 200 more runs), so that a failure on a machine
   * where it cannot be reproduced still names the method that boxes.
   */
  private static String allocationSites(Runnable calls) {
    Map<String, Integer> counts = new HashMap<>();
    try (Recording recording = new Recording()) {
      for (String event : new String[] {"jdk.ObjectAllocationInNewTLAB",
          "jdk.ObjectAllocationOutsideTLAB"}) {
        recording.enable(event).withStackTrace();
      }
      recording.start();
      for (int r = 0; r < 200; r++) {
        calls.run();
      }
      recording.stop();
      Path file = Files.createTempFile("allocation", ".jfr");
      try {
        recording.dump(file);
        for (RecordedEvent e : RecordingFile.readAllEvents(
            file)) {
          if (e.getStackTrace() == null
              || !e.getThread().getJavaName().equals(Thread.currentThread().getName())) {
            continue;
          }
          StringBuilder where = new StringBuilder(e.getClass("objectClass").getName());
          int frames = 0;
          for (RecordedFrame f : e.getStackTrace().getFrames()) {
            String type = f.getMethod().getType().getName();
            if (type.startsWith("dev.annonet.") && frames++ < 3) {
              where.append(" < ").append(type.substring(type.lastIndexOf('.') + 1)).append('.')
                  .append(f.getMethod().getName()).append(':').append(f.getLineNumber())
                  .append(" (").append(f.getType()).append(')');
            }
          }
          counts.merge(where.toString(), 1, Integer::sum);
        }
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException | RuntimeException e) {
      return "not recorded (" + e + ")";
    }
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(5)
        .map(e -> e.getValue() + "x " + e.getKey())
        .collect(Collectors.joining("; ", "[", "]"));
  }

  /** Exact GELU over a layer's worth of floats, an odd length for the scalar tail too. */
  @ParameterizedTest(name = "plain={0}")
  @CsvSource({"false", "true"})
  void geluAllocatesNothingAfterWarmUp(boolean plain) {
    Kernels.forcePlain(plain);
    SplittableRandom rnd = new SplittableRandom(5);
    float[] x = Naive.random(rnd, 1001, 4);
    float[] kept = new float[x.length];
    float[] a = new float[x.length];
    float[] dOut = Naive.random(rnd, x.length, 1);
    float[] d = new float[x.length];
    assertAllocatesNothingAfterWarmUp(() -> {
      System.arraycopy(x, 0, a, 0, x.length);
      Activation.GELU.applyInPlaceKeepingInput(a, 0, kept, 0, x.length, 0f);
      System.arraycopy(dOut, 0, d, 0, x.length);
      Activation.GELU.multiplyByDerivativeAt(d, 0, kept, 0, x.length, 0f);
    });
  }

  /** Attention's forward and backward, its core shared between threads or not. */
  @ParameterizedTest(name = "plain={0} threads={1}")
  @CsvSource({"false, 1", "true, 1", "false, 2"})
  void attentionAllocatesNothingAfterWarmUp(boolean plain, int threads) {
    Kernels.forcePlain(plain);
    Kernels.setThreads(threads);
    // Head size 32: whole vectors of the core on the Vector API path.
    AttentionStep step = new AttentionStep(4, 16, 64, 2, 4);
    long last = -1;
    long deadline = System.nanoTime() + 30_000_000_000L;
    int window = 0;
    for (; window < 200 || System.nanoTime() < deadline; window++) {
      long before = THREADS.getCurrentThreadAllocatedBytes();
      for (int r = 0; r < 5; r++) {
        step.run(Activation.TANH);
      }
      last = THREADS.getCurrentThreadAllocatedBytes() - before;
      if (last == 0) {
        return;
      }
    }
    fail("attention still allocating after " + window * 5 + " warm-up steps: " + last
        + " bytes in the last 5");
  }
}
