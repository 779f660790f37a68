package dev.annonet.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.optim.Sgd;
import dev.annonet.plot.Progress.Field;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Progress output in each mode, on real training runs and on callbacks driven by a fake clock;
 * the line's layout at several widths; how many lines a long run leaves; the cost per batch.
 */
class ProgressTest {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static final Pattern BAR = Pattern.compile("\\[([=> ]*)\\]");

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  /** A clock the test moves by hand, in nanoseconds. */
  private long now = 1_000_000_000L;

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The output's lines, each as finally shown: the text after its last carriage return. */
  private List<String> shown() {
    List<String> lines = new ArrayList<>();
    for (String line : output().split("\n", -1)) {
      lines.add(line.substring(line.lastIndexOf('\r') + 1).stripTrailing());
    }
    return lines;
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

  private static int barCells(String line) {
    Matcher m = BAR.matcher(line);
    return m.find() ? m.group(1).length() : 0;
  }

  /** The fields of a line during an epoch, the widest figures it normally shows. */
  private static List<Field> epochFields(String runEta) {
    return List.of(new Field(" 42%", 90), new Field("loss 0.2140", 70),
        new Field("123,456 samples/s", 50), new Field("ETA 00:12", 60),
        new Field("run ETA " + runEta, 95));
  }

  @Test
  void thePropertyOverridesElsePlainWithoutTerminalInCiOrOnDumbTerminal() {
    assertEquals(Mode.PLAIN, Progress.detect(null, false, null, "xterm-256color"));
    assertEquals(Mode.PLAIN, Progress.detect(null, true, "true", "xterm-256color"));
    assertEquals(Mode.PLAIN, Progress.detect("", true, "TRUE", null));
    assertEquals(Mode.PLAIN, Progress.detect("auto", true, null, "dumb"));
    assertEquals(Mode.BAR, Progress.detect(null, true, null, "xterm-256color"));
    assertEquals(Mode.BAR, Progress.detect(" Auto ", true, "false", null));
    assertEquals(Mode.BAR, Progress.detect("bar", false, "true", "dumb"));
    assertEquals(Mode.PLAIN, Progress.detect("PLAIN", true, null, null));
    assertEquals(Mode.QUIET, Progress.detect("quiet", true, null, null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Progress.detect("bars", true, null, null));
    assertEquals("Progress: the system property annonet.progress is 'bars': use bar, plain, "
        + "quiet or auto", e.getMessage());
  }

  @Test
  void toHonoursTheSystemProperty() {
    String before = System.getProperty(Progress.PROPERTY);
    try {
      System.setProperty(Progress.PROPERTY, "bar");
      assertEquals(Mode.BAR, Progress.to(out).mode());
      System.setProperty(Progress.PROPERTY, "quiet");
      assertEquals(Mode.QUIET, Progress.auto().mode());
      System.setProperty(Progress.PROPERTY, "loud");
      assertThrows(IllegalArgumentException.class, Progress::auto);
    } finally {
      if (before == null) {
        System.clearProperty(Progress.PROPERTY);
      } else {
        System.setProperty(Progress.PROPERTY, before);
      }
    }
    // A stream that is neither System.err nor System.out is a terminal only with a console.
    assertFalse(Progress.isTerminal(out) && System.console() == null);
  }

  @Test
  void at80ColumnsTheBarKeepsItsRoomAndTheRunEtaItsPlace() {
    for (String label : new String[] {"epoch 12/30", "epoch 1234/2000"}) {
      for (String runEta : new String[] {"05:31", "123:05:31"}) {
        String line = Progress.layout(80, label, 0.42, epochFields(runEta));
        assertTrue(line.length() <= 80, line.length() + ": " + line);
        assertTrue(line.startsWith(label + " [========"), line);
        assertTrue(barCells(line) >= Progress.MIN_BAR_CELLS, line);
        assertTrue(line.endsWith("]  42%  loss 0.2140  ETA 00:12  run ETA " + runEta)
            || line.endsWith("]  42%  loss 0.2140  run ETA " + runEta), line);
        // The first to go to make room for the bar.
        assertFalse(line.contains("samples/s"), line);
      }
    }
    // A terminal's 80 columns (79 drawn, to stay off the last one) fit all but the speed.
    String line = Progress.layout(79, "epoch 12/30", 0.42, epochFields("05:31"));
    assertTrue(line.endsWith("]  42%  loss 0.2140  ETA 00:12  run ETA 05:31"), line);
    assertEquals(79, line.length());
  }

  @Test
  void widerLinesShowEveryFieldAndGiveTheRestToTheBar() {
    String at120 = Progress.layout(120, "epoch 12/30", 0.42, epochFields("1:05:31"));
    String at200 = Progress.layout(200, "epoch 12/30", 0.42, epochFields("1:05:31"));
    for (String line : new String[] {at120, at200}) {
      assertTrue(line.contains(" 42%  loss 0.2140  123,456 samples/s  ETA 00:12  run ETA 1:05:31"),
          line);
    }
    assertEquals(120, at120.length(), at120);
    assertEquals(200, at200.length(), at200);
    assertEquals(barCells(at120) + 80, barCells(at200));
    assertTrue(barCells(at120) >= 40, at120);
    // 42% of the cells are done, the head follows.
    int cells = barCells(at200);
    assertTrue(at200.contains("[" + "=".repeat((int) (0.42 * cells)) + ">"), at200);
  }

  @Test
  void narrowLinesDropFieldsByRankThenTheBar() {
    String at40 = Progress.layout(40, "epoch 12/30", 0.42, epochFields("05:31"));
    assertEquals(40, at40.length(), at40);
    assertTrue(at40.endsWith("]  42%  run ETA 05:31"), at40);
    assertTrue(barCells(at40) >= Progress.LEAST_BAR_CELLS, at40);
    assertFalse(at40.contains("loss"), at40);
    // Too narrow for a bar: the essential fields stay, then go by rank.
    assertEquals("epoch 12/30   42%  run ETA 1:05:31",
        Progress.layout(40, "epoch 12/30", 0.42, epochFields("1:05:31")));
    assertEquals("epoch 12/30  run ETA 1:05:31",
        Progress.layout(32, "epoch 12/30", 0.42, epochFields("1:05:31")));
    assertEquals("epoch 12/30", Progress.layout(20, "epoch 12/30", 0.42, epochFields("05:31")));
    // A line without a bar (a finished epoch) loses its lowest fields until it fits.
    List<Field> summary = List.of(new Field("loss 0.2140", 95), new Field("val loss 0.2512", 85),
        new Field(null, 80), new Field("23,400 samples/s", 50), new Field("run ETA 05:31", 90));
    assertEquals("epoch 3/30  loss 0.2140  val loss 0.2512  23,400 samples/s  run ETA 05:31",
        Progress.layout(80, "epoch 3/30", Double.NaN, summary));
    assertEquals("epoch 3/30  loss 0.2140  val loss 0.2512  run ETA 05:31",
        Progress.layout(60, "epoch 3/30", Double.NaN, summary));
    assertEquals("epoch 3/3", Progress.layout(9, "epoch 3/30", Double.NaN, summary));
  }

  @Test
  void barsFillByFraction() {
    assertEquals(">         ", Progress.bar(10, 0));
    assertEquals("====>     ", Progress.bar(10, 0.45));
    assertEquals("==========", Progress.bar(10, 1));
    assertEquals("==========", Progress.bar(10, 1.5));
  }

  @Test
  void longRunsLogEveryKthEpochWithKFromOneTwoFive() {
    assertEquals(1, Progress.logEvery(1));
    assertEquals(1, Progress.logEvery(50));
    assertEquals(2, Progress.logEvery(51));
    assertEquals(2, Progress.logEvery(100));
    assertEquals(5, Progress.logEvery(101));
    assertEquals(10, Progress.logEvery(500));
    assertEquals(50, Progress.logEvery(2000));
    assertEquals(20_000, Progress.logEvery(1_000_000));
    for (int epochs = 1; epochs <= 5000; epochs++) {
      int k = Progress.logEvery(epochs);
      assertTrue(epochs / k <= Progress.MAX_LINES, epochs + " epochs, k " + k);
      assertTrue(epochs <= 50 || epochs / k >= 20, epochs + " epochs, k " + k);
    }
  }

  @Test
  void plainModePrintsTheTrainersLinePerEpochWithSpeedAndEta() {
    TrainingReport report = train(Progress.of(out, Mode.PLAIN), 4);
    String[] lines = output().split("\n");
    assertEquals(4, lines.length, output());
    History history = report.history();
    for (int i = 0; i < 4; i++) {
      assertTrue(lines[i].startsWith(history.get(i).describe(4) + ", "), lines[i]);
      assertTrue(lines[i].matches(".*\\), [0-9,]+ samples/s(, ETA \\d\\d:\\d\\d)?"), lines[i]);
      assertEquals(i < 3, lines[i].contains(", ETA "), lines[i]);
    }
  }

  @Test
  void aPlainRunOf2000EpochsLogsTheFirstEveryFiftiethAndTheLast() {
    TrainingReport report = train(Progress.of(out, Mode.PLAIN), 2000);
    assertEquals(2000, report.epochs());
    String[] lines = output().split("\n");
    assertEquals(41, lines.length, output());
    assertTrue(lines[0].startsWith("epoch 1/2000 "), lines[0]);
    for (int i = 1; i <= 40; i++) {
      assertTrue(lines[i].startsWith("epoch " + 50 * i + "/2000 loss "), lines[i]);
    }
    assertFalse(lines[40].contains("ETA"), lines[40]);
  }

  /** Drives {@code progress} through {@code epochs} epochs of 3 batches, each batch {@code ms}. */
  private void run(Progress progress, int epochs, long ms) {
    progress.beforeTraining(epochs, 3, 30);
    for (int e = 1; e <= epochs; e++) {
      for (int b = 1; b <= 3; b++) {
        now += ms * 1_000_000L;
        progress.afterBatch(e, b, 10, 1.0 / e);
      }
      now += ms * 1_000_000L;   // the evaluation
      progress.afterEpoch(new EpochRecord(e, 1.0 / e, 0.1, 0.01f,
          new Metrics(1.5 / e, 0.9, Double.NaN, Double.NaN), 4 * ms / 1000.0), null);
    }
  }

  @Test
  void aBarRunOfManyShortEpochsRedrawsOneLineAndLeavesFortyOne() {
    Progress progress = Progress.of(out, Mode.BAR).width(100).clock(() -> now);
    run(progress, 2000, 10);
    String[] lines = output().split("\n", -1);
    assertEquals(42, lines.length, "41 ended lines and nothing after the last");
    assertEquals("", lines[41]);
    List<String> shown = shown();
    assertTrue(shown.get(0).startsWith("epoch 1/2000  loss 1.0000  val loss 1.5000  "
        + "val acc 90.0%  1,000 samples/s  run ETA "), shown.get(0));
    for (int i = 1; i <= 40; i++) {
      assertTrue(shown.get(i).startsWith("epoch " + 50 * i + "/2000  loss "), shown.get(i));
      assertTrue(shown.get(i).length() <= 100, shown.get(i));
    }
    assertFalse(shown.get(40).contains("ETA"), shown.get(40));
    // Between two of them, the run's bar, redrawn at most every 200 ms (every 5th epoch here).
    String between = lines[1].substring(0, lines[1].lastIndexOf('\r'));
    String[] draws = between.split("\r");
    assertTrue(draws.length >= 9 && draws.length <= 11, draws.length + " redraws");
    String last = draws[draws.length - 1].stripTrailing();
    assertTrue(last.matches("epoch 4\\d/2000 \\[=?> +\\]   2%  loss 0\\.02\\d\\d  "
        + "[0-9,]+ samples/s  run ETA 01:1\\d"), last);
    assertTrue(barCells(last) >= Progress.MIN_BAR_CELLS && last.length() <= 99, last);
  }

  @Test
  void duringALongEpochTheBarShowsTheEpochsProgressLossSpeedAndBothEtas() {
    Progress progress = Progress.of(out, Mode.BAR).width(120).clock(() -> now);
    progress.beforeTraining(4, 10, 100);
    now += 100_000_000L;
    progress.afterBatch(1, 1, 10, 0.5);
    assertEquals("", output(), "no drawing before 200 ms");
    now += 300_000_000L;
    progress.afterBatch(1, 2, 10, 0.3);
    // 20 of 100 samples in 0.4 s: 50 samples/s, 1.6 s left in the epoch, 7.6 s in the run.
    String during = output();
    assertTrue(during.startsWith("\repoch 1/4 ["), during);
    assertTrue(during.endsWith("]  20%  loss 0.4000  50 samples/s  ETA 00:02  run ETA 00:08"),
        during);
    assertEquals(119, during.length() - 1);
    now += 1_600_000_000L;
    for (int b = 3; b <= 10; b++) {
      progress.afterBatch(1, b, 10, 0.25);
    }
    progress.afterEpoch(new EpochRecord(1, 0.25, 0.1, 0.01f, Metrics.NONE, 2.0), null);
    List<String> shown = shown();
    assertEquals(2, shown.size(), output());
    assertEquals("epoch 1/4  loss 0.2500  50 samples/s  run ETA 00:06", shown.get(0));
    assertEquals("", shown.get(1));
  }

  @Test
  void aBarRunOnTheTrainerLeavesOneLinePerEpochWithinTheWidth() {
    TrainingReport report = train(Progress.of(out, Mode.BAR).width(80), 3);
    List<String> shown = shown();
    assertEquals(4, shown.size(), output());
    for (int i = 0; i < 3; i++) {
      EpochRecord record = report.history().get(i);
      String line = shown.get(i);
      assertTrue(line.startsWith(String.format("epoch %d/3  loss %.4f  val loss %.4f  ", i + 1,
          record.trainLoss(), record.validation().loss())), line + " vs " + record);
      assertTrue(line.length() <= 80, "width " + line.length());
      assertEquals(i < 2, line.contains("run ETA "), line);
    }
  }

  @Test
  void aRunThatStopsEarlyEndsWithItsLastEpochAndTheReason() {
    for (Mode mode : new Mode[] {Mode.PLAIN, Mode.BAR}) {
      bytes.reset();
      Dataset data = LineModel.line(100);
      Trainer.of(new LineModel()).optimizer(Sgd.defaults().lr(0.05f)).batchSize(10).epochs(2000)
          .quiet()
          .callback(Progress.of(out, mode).width(100))
          .callback((EpochRecord record, Model model) -> record.epoch() == 7)
          .fit(data);
      List<String> shown = shown();
      assertEquals(4, shown.size(), mode + ": " + output());
      assertTrue(shown.get(0).startsWith("epoch 1/2000 "), shown.get(0));
      assertTrue(shown.get(1).startsWith("epoch 7/2000 "), shown.get(1));
      assertFalse(shown.get(1).contains("ETA"), shown.get(1));
      assertEquals("stopped: a callback asked to stop after epoch 7", shown.get(2));
      assertEquals("", shown.get(3));
    }
  }

  @Test
  void everySetsK() {
    Progress progress = Progress.of(out, Mode.PLAIN).every(3).clock(() -> now);
    run(progress, 10, 1);
    List<String> shown = shown();
    assertEquals(List.of(1, 3, 6, 9, 10), shown.subList(0, shown.size() - 1).stream()
        .map(l -> Integer.parseInt(l.substring(6, l.indexOf('/')))).toList(), output());
  }

  @Test
  void quietPrintsNothing() {
    train(Progress.of(out, Mode.QUIET), 3);
    assertEquals("", output());
    assertEquals(Mode.QUIET, Progress.quiet().mode());
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
  void barModeDrawsAtMostEveryFewHundredMilliseconds() {
    Progress progress = Progress.of(out, Mode.BAR).width(100).clock(() -> now);
    progress.beforeTraining(1, 1_000_000, 32_000_000);
    for (int b = 1; b <= 20_000; b++) {
      progress.afterBatch(1, b, 32, 0.5);
    }
    // 100,000 batches of 1 ms: 100 s, 500 drawings of the line.
    long bytes = allocatedBy(() -> {
      for (int b = 20_001; b <= 120_000; b++) {
        now += 1_000_000L;
        progress.afterBatch(1, b, 32, 0.5);
      }
    });
    assertEquals(500, output().split("\r").length - 1);
    // A drawing (a few String.format calls) costs a few kB; drawing on every batch would cost
    // 200 times as much.
    assertTrue(bytes <= 500 * 16_384L, bytes + " bytes for 500 drawings");
  }

  @Test
  void badArgumentsAreRefusedWithTheFix() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Progress.of(null, Mode.PLAIN));
    assertTrue(e.getMessage().contains("System.err"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Progress.to(null));
    assertTrue(e.getMessage().contains("System.err"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Progress.of(out, null));
    assertTrue(e.getMessage().contains("Mode.PLAIN"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Progress.of(out, Mode.BAR).width(20));
    assertTrue(e.getMessage().contains("at least 40"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Progress.of(out, Mode.BAR).every(0));
    assertTrue(e.getMessage().contains("use 1 or more"), e.getMessage());
  }

  @Test
  void durationsReadAsMinutesSecondsAndHoursFromAnHour() {
    assertEquals("00:00", Progress.duration(0.2));
    assertEquals("01:05", Progress.duration(65));
    assertEquals("59:59", Progress.duration(3599));
    assertEquals("2:00:01", Progress.duration(7201));
    assertEquals("?", Progress.duration(Double.NaN));
  }

  @Test
  void theEtaIsTheRemainingWorkAtThePaceSoFar() {
    assertEquals(3.0, Progress.remaining(1.0, 25, 100), 1e-12);
    assertEquals(0.0, Progress.remaining(4.0, 100, 100), 1e-12);
    assertTrue(Double.isNaN(Progress.remaining(1.0, 0, 100)));
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
