package dev.annonet.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.data.Dataset;
import dev.annonet.optim.Sgd;
import dev.annonet.plot.Progress.Mode;
import dev.annonet.train.EpochRecord;
import dev.annonet.train.History;
import dev.annonet.train.Trainer;
import dev.annonet.train.TrainingReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
