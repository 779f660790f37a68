package dev.annonet.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.data.Dataset;
import dev.annonet.optim.Sgd;
import dev.annonet.plot.Progress.Mode;
import dev.annonet.train.EpochRecord;
import dev.annonet.train.History;
import dev.annonet.train.Metrics;
import dev.annonet.train.Trainer;
import dev.annonet.train.TrainingReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Progress output in each mode, on a real training run, and its cost per batch. */
class ProgressTest {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static TrainingReport train(Progress progress, int epochs) {
    Dataset.Split split = LineModel.line(200).split(0.25, 3);
    return Trainer.of(new LineModel())
        .optimizer(Sgd.defaults().lr(0.05f))
        .batchSize(10)
        .epochs(epochs)
        .validation(split.test())
        .quiet()
        .callback(progress)
        .fit(split.train());
  }

  @Test
  void plainWithoutConsoleInCiOrOnDumbTerminalElseBar() {
    assertEquals(Mode.PLAIN, Progress.detect(false, null, "xterm-256color"));
    assertEquals(Mode.PLAIN, Progress.detect(true, "true", "xterm-256color"));
    assertEquals(Mode.PLAIN, Progress.detect(true, "TRUE", null));
    assertEquals(Mode.PLAIN, Progress.detect(true, null, "dumb"));
    assertEquals(Mode.BAR, Progress.detect(true, null, "xterm-256color"));
    assertEquals(Mode.BAR, Progress.detect(true, "false", null));
  }

  @Test
  void plainModePrintsTheTrainersLinePerEpochWithSpeedAndEta() {
    TrainingReport report = train(Progress.of(out, Mode.PLAIN), 4);
    String[] lines = output().split("\n");
    assertEquals(4, lines.length, output());
    History history = report.history();
    for (int i = 0; i < 4; i++) {
      assertTrue(lines[i].startsWith(history.get(i).describe(4) + ", "), lines[i]);
      assertTrue(lines[i].matches(".*\\), [0-9,]+ samples/s(, ETA .*)?"), lines[i]);
      assertEquals(i < 3, lines[i].contains(", ETA 0:"), lines[i]);
    }
  }

  @Test
  void plainEtaIsTheRemainingEpochsAtTheMeanPaceSoFar() throws Exception {
    Progress progress = Progress.of(out, Mode.PLAIN);
    progress.beforeTraining(4, 1, 10);
    Thread.sleep(1000);
    progress.afterBatch(1, 1, 10, 0.5);
    progress.afterEpoch(new EpochRecord(1, 0.25, 0.1, 0.01f, Metrics.NONE, 1.0), null);
    String line = output().trim();
    Matcher eta = Pattern.compile(", ETA 0:00:(\\d\\d)$").matcher(line);
    assertTrue(eta.find(), line);
    // One epoch took a second or a little more: three remain.
    int seconds = Integer.parseInt(eta.group(1));
    assertTrue(seconds >= 3 && seconds <= 6, line);
  }

  @Test
  void quietPrintsNothing() {
    train(Progress.of(out, Mode.QUIET), 3);
    assertEquals("", output());
    assertEquals(Mode.QUIET, Progress.quiet().mode());
  }

  @Test
  void barModeLeavesOneFinishedBarPerEpochWithTheEpochsLoss() {
    TrainingReport report = train(Progress.of(out, Mode.BAR).width(160), 3);
    String[] lines = output().split("\n");
    assertEquals(3, lines.length, output());
    for (int i = 0; i < 3; i++) {
      // Each redraw starts with a carriage return; the last one is the finished bar.
      String last = lines[i].substring(lines[i].lastIndexOf('\r') + 1);
      EpochRecord record = report.history().get(i);
      assertTrue(last.startsWith("epoch " + (i + 1) + "/3 100%"), last);
      assertTrue(last.contains(" 150/150 samples"), last);
      assertTrue(last.contains(" samples/s"), last);
      assertTrue(last.contains(String.format("loss %.4f, val loss %.4f, ", record.trainLoss(),
          record.validation().loss())),
          last + " vs " + record.trainLoss());
      assertTrue(last.length() <= 160, "width " + last.length());
    }
  }

  @Test
  void duringAnEpochTheBarShowsBatchRunningLossSpeedAndRunEta() throws Exception {
    Progress progress = Progress.of(out, Mode.BAR).width(160);
    progress.beforeTraining(2, 10, 100);
    progress.afterBatch(1, 1, 10, 0.5);
    Thread.sleep(Progress.BAR_MESSAGE_MILLIS + 50);
    progress.afterBatch(1, 2, 10, 0.3);   // past the interval: moves the bar, sets the message
    // The library redraws from its own thread every BAR_MESSAGE_MILLIS.
    for (long end = System.nanoTime() + 10_000_000_000L;
        !output().contains("batch 2/10") && System.nanoTime() < end; ) {
      Thread.sleep(20);
    }
    String during = output();
    assertTrue(during.matches("(?s).*\repoch 1/2  20% \\[.*\\]  20/100 samples .*"
        + " batch 2/10, loss 0\\.4000, [0-9,]+ samples/s, run ETA 0:00:0\\d.*"), during);
    progress.afterEpoch(new EpochRecord(1, 0.25, 0.1, 0.01f, Metrics.NONE, 0.5), null);
    String[] lines = output().split("\n");
    assertEquals(1, lines.length, output());
    assertTrue(lines[0].substring(lines[0].lastIndexOf('\r') + 1)
        .matches("epoch 1/2  20% \\[=+ +\\]  20/100 samples .* loss 0\\.2500, [0-9,]+ samples/s"),
        lines[0]);
  }

  @Test
  void aProgressCanBeReusedForAnotherRun() {
    Progress progress = Progress.of(out, Mode.PLAIN);
    train(progress, 2);
    train(progress, 2);
    String[] lines = output().split("\n");
    assertEquals(4, lines.length, output());
    assertTrue(lines[2].startsWith("epoch 1/2 "), lines[2]);
  }

  @Test
  void afterBatchAllocatesNothingWhenPlainOrQuiet() {
    for (Mode mode : new Mode[] {Mode.PLAIN, Mode.QUIET}) {
      Progress progress = Progress.of(out, mode);
      progress.beforeTraining(1, 100_000, 3_200_000);
      for (int b = 1; b <= 20_000; b++) {
        progress.afterBatch(1, b, 32, 0.5);
      }
      // Three windows: a per-batch allocation shows in all of them, a one-off JVM event
      // (class loading, a JIT compilation) on a loaded machine in one at most.
      long[] windows = new long[3];
      for (int w = 0; w < 3; w++) {
        int first = 20_001 + w * 20_000;
        windows[w] = allocatedBy(() -> {
          for (int b = first; b < first + 20_000; b++) {
            progress.afterBatch(1, b, 32, 0.5);
          }
        });
      }
      assertEquals(0, Arrays.stream(windows).min().getAsLong(),
          mode + ": bytes allocated by 20,000 batches in three windows "
              + Arrays.toString(windows));
    }
  }

  @Test
  void barModeFormatsItsMessageAtMostEveryFewHundredMilliseconds() {
    Progress progress = Progress.of(out, Mode.BAR).width(100);
    progress.beforeTraining(1, 1_000_000, 32_000_000);
    for (int b = 1; b <= 20_000; b++) {
      progress.afterBatch(1, b, 32, 0.5);
    }
    long start = System.nanoTime();
    long bytes = allocatedBy(() -> {
      for (int b = 20_001; b <= 120_000; b++) {
        progress.afterBatch(1, b, 32, 0.5);
      }
    });
    double seconds = (System.nanoTime() - start) / 1e9;
    // A message (two String.format calls) costs about 10 kB; formatting on every batch would
    // cost 100,000 times that. The window may hold one message more than its length allows.
    long messages = 2 + (long) (seconds * 1000 / Progress.BAR_MESSAGE_MILLIS);
    assertTrue(bytes <= 32_768 * messages,
        bytes + " bytes for 100,000 batches in " + seconds + " s (" + messages + " messages)");
  }

  @Test
  void badArgumentsAreRefusedWithTheFix() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Progress.of(null, Mode.PLAIN));
    assertTrue(e.getMessage().contains("System.err"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Progress.of(out, null));
    assertTrue(e.getMessage().contains("Mode.PLAIN"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Progress.of(out, Mode.BAR).width(20));
    assertTrue(e.getMessage().contains("at least 40"), e.getMessage());
  }

  @Test
  void durationsReadAsHoursMinutesSeconds() {
    assertEquals("0:00:00", Progress.duration(0.2));
    assertEquals("0:01:05", Progress.duration(65));
    assertEquals("2:00:01", Progress.duration(7201));
    assertEquals("?", Progress.duration(Double.NaN));
  }

  private static long allocatedBy(Runnable work) {
    long id = Thread.currentThread().getId();
    long empty0 = THREADS.getThreadAllocatedBytes(id);
    long empty1 = THREADS.getThreadAllocatedBytes(id);
    long before = THREADS.getThreadAllocatedBytes(id);
    work.run();
    long after = THREADS.getThreadAllocatedBytes(id);
    return after - before - (empty1 - empty0);
  }

}
