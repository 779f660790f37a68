package dev.annonet.plot;

import dev.annonet.Model;
import dev.annonet.train.Callback;
import dev.annonet.train.EpochRecord;
import dev.annonet.train.Metrics;
import dev.annonet.train.StopReason;
import dev.annonet.train.TrainingReport;
import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Training progress as a {@link Callback}: a live line on a terminal, plain lines elsewhere, or
 * nothing.
 *
 * <pre>{@code
 * Trainer.of(model).optimizer(Adam.defaults()).epochs(20)
 *     .quiet()                          // the progress callback owns the output
 *     .callback(Progress.auto())        // bar on a terminal, lines in CI or a pipe
 *     .fit(train);
 * }</pre>
 *
 * <p>{@link Mode#BAR} redraws one line in place (a carriage return, no cursor movement) with the
 * epoch, a bar, the percent done, the running loss, samples per second, the epoch's ETA and the
 * run's ETA, e.g.
 * <pre>
 * epoch 12/30 [=========>              ]  38%  loss 0.2140  ETA 00:12  run ETA 05:31
 * </pre>
 * laid out for the terminal's width: the bar takes the room the fields leave, at least
 * {@link #MIN_BAR_CELLS} cells, and when the width is short the least needed fields go first
 * (samples per second, then the epoch's ETA, then the loss); the run's ETA stays. When epochs are
 * short (under {@link #SHORT_EPOCH_SECONDS}), the bar is the run's rather than the epoch's. A
 * finished epoch leaves a permanent line with its train and validation figures, but not every
 * epoch does: the first, every k-th and the last do, with k from the number of epochs (1, 2, 5,
 * 10, 20, 50, ...) so that a run leaves at most about {@link #MAX_LINES} lines, or as set with
 * {@link #every}. {@link Mode#PLAIN} prints the same epochs' lines ({@link EpochRecord#describe}
 * plus samples per second and the run's ETA), suitable for logs. {@link Mode#QUIET} prints
 * nothing. When a run stops before its last epoch (early stopping, divergence, a callback), both
 * print the last epoch's line if it was not printed, and the trainer's reason.
 *
 * <p>{@link #auto()} chooses the mode: the system property {@value #PROPERTY} ({@code bar},
 * {@code plain}, {@code quiet} or {@code auto}; e.g. {@code -Dannonet.progress=plain}) first;
 * then {@link Mode#PLAIN} when the environment variable {@code CI} is {@code true}, when
 * {@code TERM} is {@code dumb} or when {@code System.err} is not a terminal (redirected to a file
 * or a pipe: on Linux, read from {@code /proc/self/fd/2}; elsewhere from
 * {@code System.console()}); {@link Mode#BAR} otherwise. A program run by Maven's exec plugin
 * sees a terminal only with {@code <inheritIo>true</inheritIo>} (as the examples' {@code run}
 * profile sets); otherwise its output goes through a pipe and it prints plain lines.
 *
 * <p>The {@link dev.annonet.train.Trainer} logs one line per epoch through
 * {@link System.Logger} unless {@code quiet()} is called; with this callback, call
 * {@code Trainer.quiet()} so that the epoch is not reported twice.
 *
 * <p>Allocation: {@link #afterBatch} allocates nothing in {@link Mode#PLAIN} and
 * {@link Mode#QUIET} (it updates a few numbers). In {@link Mode#BAR} it allocates nothing either,
 * except at most every {@link #BAR_MESSAGE_MILLIS} ms, when it redraws the line (a few short
 * strings). Everything is drawn on the training thread. The terminal's width is asked once per
 * {@code Progress} (the variable {@code COLUMNS}, else {@code stty size} on {@code /dev/tty}, else
 * 80 columns); a terminal resized during training keeps the first width.
 *
 * <p>A {@code Progress} runs on the training thread and may be reused for another run (each
 * {@link #beforeTraining} starts afresh), but not by two runs at once.
 */
public final class Progress implements Callback {

  /** How often the live line is redrawn, at most, in milliseconds. */
  public static final int BAR_MESSAGE_MILLIS = 200;

  /** The system property that overrides {@link #auto()}'s choice: bar, plain, quiet or auto. */
  public static final String PROPERTY = "annonet.progress";

  /** The fewest cells the bar is given while lower-priority fields can make room for it. */
  public static final int MIN_BAR_CELLS = 20;

  /** Most permanent lines of a run with the automatic k, besides the first and last epochs'. */
  public static final int MAX_LINES = 50;

  /** Epochs shorter than this, in seconds, are shown as one bar for the whole run. */
  public static final double SHORT_EPOCH_SECONDS = 1.0;

  /** What a {@link Progress} prints. */
  public enum Mode {
    /** A live line redrawn in place and a few permanent lines, for a terminal. */
    BAR,
    /** A line for the first, every k-th and the last epoch, for logs, pipes and CI. */
    PLAIN,
    /** Nothing. */
    QUIET
  }

  /**
   * A field of a progress line: its text (null or empty when absent) and its rank; when the line
   * is short of room, the field of lowest rank goes first, and a field ranked
   * {@link #ESSENTIAL} or higher only goes when even the bar could not stay.
   */
  record Field(String text, int rank) {}

  /**
   * Rank from which fields are kept while the bar can shrink instead: the percent (90) and the
   * run's ETA (95).
   */
  static final int ESSENTIAL = 90;

  /** Cells below which the bar is left out rather than drawn. */
  static final int LEAST_BAR_CELLS = 5;

  private final PrintStream out;
  private final Mode mode;
  private final int width;
  private final int every;
  private final LongSupplier clock;
  private int columns;

  private int epochs;
  private int samplesPerEpoch;
  private int logEvery;
  private int firstEpoch;
  private long runStart;
  private long epochStart;
  private long lastBatch;
  private long lastDraw;
  private int samplesDone;
  private double lossSum;
  private boolean runLine;
  private int lineLength;
  private EpochRecord lastRecord;
  private boolean lastLogged;
  private int endedSamples;
  private long endedNanos;

  private Progress(PrintStream out, Mode mode, int width, int every, LongSupplier clock) {
    this.out = out;
    this.mode = mode;
    this.width = width;
    this.every = every;
    this.clock = clock;
  }

  /**
   * Progress on {@code System.err}, in the mode the system property {@value #PROPERTY} names, else
   * as a bar when {@code System.err} is a terminal and plain lines when it is not (output
   * redirected), or the environment variable {@code CI} is {@code true}, or {@code TERM} is
   * {@code dumb}.
   *
   * @throws IllegalArgumentException when {@value #PROPERTY} is set to another word
   */
  public static Progress auto() {
    return to(System.err);
  }

  /** Progress on {@code out}, in the mode {@link #auto()} would choose for it. */
  public static Progress to(PrintStream out) {
    requireStream(out);
    return of(out, detect(System.getProperty(PROPERTY), isTerminal(out), System.getenv("CI"),
        System.getenv("TERM")));
  }

  /**
   * Progress on {@code out} in the given mode. For {@link Mode#BAR}, the line is as wide as the
   * terminal, asked at the first drawing (80 columns when it cannot tell).
   */
  public static Progress of(PrintStream out, Mode mode) {
    requireStream(out);
    if (mode == null) {
      throw new IllegalArgumentException("Progress: the mode is null: use Mode.BAR, Mode.PLAIN "
          + "or Mode.QUIET");
    }
    return new Progress(out, mode, 0, 0, System::nanoTime);
  }

  /** Progress that prints nothing (e.g. behind a {@code --quiet} flag). */
  public static Progress quiet() {
    return new Progress(System.err, Mode.QUIET, 0, 0, System::nanoTime);
  }

  /**
   * The same progress with its lines laid out in {@code columns} characters instead of the
   * terminal's width (does not query the terminal; useful when {@code out} is not the console).
   */
  public Progress width(int columns) {
    if (columns < 40) {
      throw new IllegalArgumentException("Progress.width: " + columns + " columns is too narrow "
          + "for the bar: use at least 40");
    }
    return new Progress(out, mode, columns, every, clock);
  }

  /**
   * The same progress with a permanent line for the first epoch, every {@code epochs}-th epoch
   * and the last, instead of the k chosen from the run's length ({@code every(1)}: every epoch).
   */
  public Progress every(int epochs) {
    if (epochs < 1) {
      throw new IllegalArgumentException("Progress.every: " + epochs + " epochs: use 1 or more "
          + "(1 prints a line for every epoch)");
    }
    return new Progress(out, mode, width, epochs, clock);
  }

  /** The same progress reading time from {@code nanos} (tests). */
  Progress clock(LongSupplier nanos) {
    return new Progress(out, mode, width, every, nanos);
  }

  /** The mode this progress prints in. */
  public Mode mode() {
    return mode;
  }

  private static void requireStream(PrintStream out) {
    if (out == null) {
      throw new IllegalArgumentException("Progress: the output stream is null: pass System.err, "
          + "or use Progress.quiet() for no output");
    }
  }

  /**
   * The mode for an environment: the one {@code property} (the {@value #PROPERTY} system
   * property) names unless it is unset, blank or {@code auto}; else {@link Mode#PLAIN} when the
   * output is not a {@code terminal}, when {@code ci} (the {@code CI} variable) is {@code true}
   * or {@code term} (the {@code TERM} variable) is {@code dumb}; {@link Mode#BAR} otherwise.
   */
  static Mode detect(String property, boolean terminal, String ci, String term) {
    if (property != null && !property.isBlank()) {
      switch (property.trim().toLowerCase(Locale.ROOT)) {
        case "bar":
          return Mode.BAR;
        case "plain":
          return Mode.PLAIN;
        case "quiet":
          return Mode.QUIET;
        case "auto":
          break;
        default:
          throw new IllegalArgumentException("Progress: the system property " + PROPERTY + " is '"
              + property + "': use bar, plain, quiet or auto");
      }
    }
    boolean plain = !terminal || "true".equalsIgnoreCase(ci) || "dumb".equals(term);
    return plain ? Mode.PLAIN : Mode.BAR;
  }

  /**
   * Whether {@code out} reaches a terminal: for {@code System.err} and {@code System.out} on
   * Linux, whether file descriptor 2 or 1 is a tty device; otherwise whether there is an
   * interactive console.
   */
  static boolean isTerminal(PrintStream out) {
    int fd = out == System.err ? 2 : out == System.out ? 1 : 0;
    if (fd > 0) {
      try {
        String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      } catch (IOException | UnsupportedOperationException | SecurityException
          | InvalidPathException e) {
        // No /proc (macOS, Windows): the console tells.
      }
    }
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // Java 22 and later return a console even when redirected, and say whether it is one.
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /** The terminal's width: {@code COLUMNS}, else {@code stty size} on {@code /dev/tty}, else 80. */
  static int terminalColumns() {
    int columns = parseColumns(System.getenv("COLUMNS"));
    if (columns > 0) {
      return columns;
    }
    File tty = new File("/dev/tty");
    if (tty.exists()) {
      try {
        Process stty = new ProcessBuilder("stty", "size").redirectInput(tty)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (stty.waitFor(2, TimeUnit.SECONDS) && stty.exitValue() == 0) {
          String[] size = new String(stty.getInputStream().readAllBytes(),
              StandardCharsets.US_ASCII).trim().split("\\s+");
          columns = size.length == 2 ? parseColumns(size[1]) : 0;
        } else {
          stty.destroy();
        }
      } catch (IOException e) {
        // No controlling terminal or no stty: the default below.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return columns > 0 ? columns : 80;
  }

  private static int parseColumns(String s) {
    try {
      return s == null ? 0 : Math.max(0, Integer.parseInt(s.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * The k of a run of {@code epochs} epochs: the smallest of 1, 2, 5, 10, 20, 50, ... with at
   * most {@link #MAX_LINES} multiples up to {@code epochs}.
   */
  static int logEvery(int epochs) {
    for (long decade = 1; ; decade *= 10) {
      for (int step : new int[] {1, 2, 5}) {
        if (step * decade * MAX_LINES >= epochs) {
          return (int) (step * decade);
        }
      }
    }
  }

  private int columns() {
    if (width > 0) {
      return width;
    }
    if (columns == 0) {
      columns = terminalColumns();
    }
    return columns;
  }

  @Override
  public void beforeTraining(int epochs, int batchesPerEpoch, int samples) {
    if (lineLength > 0) {
      out.println();
      lineLength = 0;
    }
    this.epochs = epochs;
    this.samplesPerEpoch = samples;
    logEvery = every > 0 ? every : logEvery(epochs);
    firstEpoch = 0;
    runLine = false;
    lastRecord = null;
    lastLogged = false;
    runStart = clock.getAsLong();
    lastDraw = runStart;
    startEpoch(runStart);
  }

  @Override
  public void afterBatch(int epoch, int batch, int samples, double loss) {
    if (mode == Mode.QUIET) {
      return;
    }
    long now = clock.getAsLong();
    if (firstEpoch == 0) {
      firstEpoch = epoch;
    }
    lastBatch = now;
    samplesDone += samples;
    lossSum += loss * samples;
    if (mode == Mode.BAR && now - lastDraw >= BAR_MESSAGE_MILLIS * 1_000_000L) {
      lastDraw = now;
      drawLive(epoch, lossSum / samplesDone, false);
    }
  }

  @Override
  public boolean afterEpoch(EpochRecord record, Model model) {
    if (mode == Mode.QUIET) {
      return false;
    }
    long now = clock.getAsLong();
    int epoch = record.epoch();
    if (firstEpoch == 0) {
      firstEpoch = epoch;
    }
    lastRecord = record;
    endedSamples = samplesDone;
    endedNanos = lastBatch - epochStart;
    lastLogged = epoch == firstEpoch || epoch % logEvery == 0 || epoch >= epochs;
    if (mode == Mode.BAR) {
      runLine = record.seconds() < SHORT_EPOCH_SECONDS;
      if (lastLogged) {
        permanent(summary(record, runEta(now, epoch, true)));
        lastDraw = now;
      } else if (runLine && now - lastDraw >= BAR_MESSAGE_MILLIS * 1_000_000L) {
        lastDraw = now;
        drawLive(epoch, record.trainLoss(), true);
      }
    } else if (lastLogged) {
      plain(record, runEta(now, epoch, true));
    }
    startEpoch(now);   // after the output
    return false;
  }

  @Override
  public void afterTraining(TrainingReport report) {
    if (mode == Mode.QUIET) {
      return;
    }
    if (lastRecord != null && !lastLogged) {
      if (mode == Mode.BAR) {
        permanent(summary(lastRecord, Double.NaN));
      } else {
        plain(lastRecord, Double.NaN);
      }
    }
    if (report.stopReason() != StopReason.MAX_EPOCHS || report.bestEpoch() > 0) {
      permanent("stopped: " + report.message());
    } else if (lineLength > 0) {
      // A live line after the last permanent line (not drawn after all epochs): wipe it.
      out.print('\r' + " ".repeat(lineLength) + '\r');
      out.flush();
      lineLength = 0;
    }
    lastRecord = null;
  }

  private void startEpoch(long now) {
    epochStart = now;
    lastBatch = now;
    samplesDone = 0;
    lossSum = 0;
  }

  /**
   * Seconds left in the run at {@code now}, during ({@code ended} false) or at the end of the
   * 1-based {@code epoch}, from the mean time per sample so far; NaN when unknown or at the end.
   */
  private double runEta(long now, int epoch, boolean ended) {
    double run = (double) (epochs - firstEpoch + 1) * samplesPerEpoch;
    double done = (double) (epoch - firstEpoch) * samplesPerEpoch
        + (ended ? samplesPerEpoch : samplesDone);
    return done >= run ? Double.NaN : remaining((now - runStart) / 1e9, done, run);
  }

  /** Seconds left when {@code done} of {@code total} took {@code elapsed} seconds; NaN if none done. */
  static double remaining(double elapsed, double done, double total) {
    return done > 0 ? elapsed * (total - done) / done : Double.NaN;
  }

  /** The live line: the epoch's bar, or at the end of a short epoch the run's; not ended. */
  private void drawLive(int epoch, double loss, boolean ended) {
    long now = lastBatch;
    double runEta = runEta(now, epoch, ended);
    double fraction;
    String epochEta = null;
    if (runLine || ended) {
      double run = (double) (epochs - firstEpoch + 1) * samplesPerEpoch;
      double done = (double) (epoch - firstEpoch) * samplesPerEpoch
          + (ended ? samplesPerEpoch : samplesDone);
      fraction = done / run;
    } else {
      fraction = (double) samplesDone / samplesPerEpoch;
      double elapsed = (now - epochStart) / 1e9;
      if (samplesDone < samplesPerEpoch) {
        epochEta = "ETA " + duration(remaining(elapsed, samplesDone, samplesPerEpoch));
      }
    }
    List<Field> fields = new ArrayList<>(5);
    fields.add(new Field(String.format(Locale.ROOT, "%3d%%", (int) (100 * fraction)), 90));
    fields.add(new Field("loss " + formatLoss(loss), 70));
    fields.add(new Field(speed(samplesDone, now - epochStart), 50));
    fields.add(new Field(epochEta, 60));
    fields.add(new Field(Double.isNaN(runEta) ? null : "run ETA " + duration(runEta), 95));
    String line = layout(columns() - 1, "epoch " + epoch + "/" + epochs, fraction, fields);
    out.print('\r' + line + " ".repeat(Math.max(0, lineLength - line.length())));
    out.flush();
    lineLength = line.length();
  }

  /** Prints {@code line} over the live line, if any, and ends it. */
  private void permanent(String line) {
    if (lineLength > 0) {
      out.print('\r' + line + " ".repeat(Math.max(0, lineLength - line.length())));
      out.println();
    } else {
      out.println(line);
    }
    out.flush();
    lineLength = 0;
  }

  /** The plain mode's line: the trainer's, samples per second and the run's ETA. */
  private void plain(EpochRecord record, double runEta) {
    String speed = speed(endedSamples, endedNanos);
    out.println(record.describe(epochs) + (speed == null ? "" : ", " + speed)
        + (Double.isNaN(runEta) ? "" : ", ETA " + duration(runEta)));
    out.flush();
  }

  /**
   * A finished epoch's line in bar mode, e.g. {@code epoch 3/30  loss 0.2140  val loss 0.2512
   * val acc 97.3%  23,400 samples/s  run ETA 00:42}, laid out for the width.
   */
  private String summary(EpochRecord record, double runEta) {
    Metrics v = record.validation();
    List<Field> fields = new ArrayList<>(5);
    fields.add(new Field("loss " + formatLoss(record.trainLoss()), 95));
    fields.add(new Field(v.present() ? "val loss " + formatLoss(v.loss()) : null, 85));
    fields.add(new Field(Double.isNaN(v.accuracy()) ? null
        : String.format(Locale.ROOT, "val acc %.1f%%", 100 * v.accuracy()), 80));
    fields.add(new Field(speed(endedSamples, endedNanos), 50));
    fields.add(new Field(Double.isNaN(runEta) ? null : "run ETA " + duration(runEta), 90));
    return layout(columns() - 1, "epoch " + record.epoch() + "/" + epochs, Double.NaN, fields);
  }

  /**
   * Samples per second of {@code samples} in {@code nanos} (an epoch's updates so far, evaluation
   * excluded), e.g. {@code 23,400 samples/s}; null before any update.
   */
  private static String speed(int samples, long nanos) {
    return nanos > 0 && samples > 0
        ? String.format(Locale.ROOT, "%,.0f samples/s", samples * 1e9 / nanos) : null;
  }

  /**
   * One progress line in at most {@code width} characters: the {@code label}, then (unless
   * {@code fraction} is NaN) a bar {@code [=====>    ]} filled to {@code fraction}, then the
   * present {@code fields} in order, two spaces apart. The bar takes the room the rest leaves;
   * while it would get fewer than {@link #MIN_BAR_CELLS} cells, the field of lowest rank below
   * {@link #ESSENTIAL} is left out. If it would still get fewer than a few cells, the bar is left
   * out, then fields of any rank, lowest first, until the line fits; a label wider than
   * {@code width} is cut.
   */
  static String layout(int width, String label, double fraction, List<Field> fields) {
    List<Field> kept = new ArrayList<>();
    for (Field f : fields) {
      if (f.text() != null && !f.text().isEmpty()) {
        kept.add(f);
      }
    }
    boolean bar = !Double.isNaN(fraction);
    int cells = bar ? barRoom(width, label, kept) : 0;
    while (bar && cells < MIN_BAR_CELLS && drop(kept, ESSENTIAL)) {
      cells = barRoom(width, label, kept);
    }
    if (bar && cells < LEAST_BAR_CELLS) {
      bar = false;
    }
    while (!bar && textLength(label, kept) > width && drop(kept, Integer.MAX_VALUE)) {
      // dropped the lowest-ranked field
    }
    StringBuilder s = new StringBuilder(width).append(label);
    if (bar) {
      s.append(" [").append(bar(cells, fraction)).append(']');
    }
    for (int i = 0; i < kept.size(); i++) {
      s.append(bar && i == 0 ? " " : "  ").append(kept.get(i).text());
    }
    return s.length() > width ? s.substring(0, width) : s.toString();
  }

  /** The bar's cells in a line of {@code width}: one space before the first field after it. */
  private static int barRoom(int width, String label, List<Field> fields) {
    return width - textLength(label, fields) - " []".length() + (fields.isEmpty() ? 0 : 1);
  }

  /** The line's length without the bar: label and fields, two spaces apart. */
  private static int textLength(String label, List<Field> fields) {
    int n = label.length();
    for (Field f : fields) {
      n += 2 + f.text().length();
    }
    return n;
  }

  /** Removes the field of lowest rank below {@code below}; false when there is none. */
  private static boolean drop(List<Field> fields, int below) {
    int lowest = -1;
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).rank() < below
          && (lowest < 0 || fields.get(i).rank() < fields.get(lowest).rank())) {
        lowest = i;
      }
    }
    if (lowest < 0) {
      return false;
    }
    fields.remove(lowest);
    return true;
  }

  /** {@code cells} characters: {@code =} for the done part, {@code >} at its head, then spaces. */
  static String bar(int cells, double fraction) {
    double f = Math.max(0, Math.min(1, fraction));
    int done = (int) Math.floor(f * cells);
    StringBuilder s = new StringBuilder(cells);
    for (int i = 0; i < cells; i++) {
      s.append(i < done ? '=' : i == done ? '>' : ' ');
    }
    return s.toString();
  }

  private static String formatLoss(double v) {
    return String.format(Locale.ROOT,
        Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? "%.4f" : "%.3e", v);
  }

  /** {@code mm:ss}, or {@code h:mm:ss} from an hour on, or {@code ?} when unknown. */
  static String duration(double seconds) {
    if (!(seconds >= 0) || seconds > 1e8) {
      return "?";
    }
    long s = Math.round(seconds);
    return s < 3600
        ? String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }
}
