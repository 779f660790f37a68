package dev.annonet.plot;

import dev.annonet.Model;
import dev.annonet.train.Callback;
import dev.annonet.train.EpochRecord;
import dev.annonet.train.Metrics;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Training progress as a {@link Callback}: a live progress bar on a terminal, one plain line per
 * epoch elsewhere, or nothing.
 *
 * <pre>{@code
 * Trainer.of(model).optimizer(Adam.defaults()).epochs(20)
 *     .quiet()                          // the progress callback owns the output
 *     .callback(Progress.auto())        // bar on a terminal, lines in CI or a pipe
 *     .fit(train);
 * }</pre>
 *
 * <p>{@link Mode#BAR} draws one bar per epoch (the me.tongfei progressbar library) with the epoch,
 * the samples done, samples per second, the epoch's ETA and, in its message, the batch, the
 * running loss and the ETA of the whole run; a finished epoch's bar stays on screen with the
 * epoch's final train and validation figures. {@link Mode#PLAIN} prints one line per epoch
 * ({@link EpochRecord#describe} plus samples per second and the run's ETA), suitable for logs.
 * {@link Mode#QUIET} prints nothing.
 *
 * <p>The {@link dev.annonet.train.Trainer} logs one line per epoch through
 * {@link System.Logger} unless {@code quiet()} is called; with this callback, call
 * {@code Trainer.quiet()} so that the epoch is not reported twice.
 *
 * <p>Allocation: {@link #afterBatch} allocates nothing in {@link Mode#PLAIN} and
 * {@link Mode#QUIET} (it updates a few numbers). In {@link Mode#BAR} it allocates nothing
 * either, except at most every {@link #BAR_MESSAGE_MILLIS} ms, when it moves the bar and formats
 * the bar's message (a few short strings); the library redraws from its own thread at the same
 * pace, allocating there. Each epoch allocates its bar or its line. The terminal's width is
 * asked once per {@code Progress}; a terminal resized during training keeps the first width.
 *
 * <p>A {@code Progress} runs on the training thread and may be reused for another run (each
 * {@link #beforeTraining} starts afresh), but not by two runs at once.
 */
public final class Progress implements Callback {

  /** How often the bar's message is refreshed and the bar redrawn, in milliseconds. */
  public static final int BAR_MESSAGE_MILLIS = 200;

  /** What a {@link Progress} prints. */
  public enum Mode {
    /** A live progress bar per epoch, for a terminal. */
    BAR,
    /** One line per epoch, for logs, pipes and CI. */
    PLAIN,
    /** Nothing. */
    QUIET
  }

  private final PrintStream out;
  private final Mode mode;
  private final int width;
  private volatile int terminalWidth;

  private int epochs;
  private int batchesPerEpoch;
  private int samplesPerEpoch;
  private long runStart;
  private long epochStart;
  private long lastBatch;
  private int samplesDone;
  private double lossSum;
  private long lastMessage;
  private ProgressBar bar;
  private Line consumer;

  private Progress(PrintStream out, Mode mode, int width) {
    this.out = out;
    this.mode = mode;
    this.width = width;
  }

  /**
   * Progress on {@code System.err}, as a bar on a terminal and as plain lines when there is no
   * console ({@code System.console() == null}, e.g. output redirected) or the environment
   * variable {@code CI} is {@code true}, or {@code TERM} is {@code dumb}.
   */
  public static Progress auto() {
    return to(System.err);
  }

  /** Progress on {@code out}, in the mode {@link #auto()} would choose. */
  public static Progress to(PrintStream out) {
    return of(out, detect(System.console() != null, System.getenv("CI"), System.getenv("TERM")));
  }

  /**
   * Progress on {@code out} in the given mode. For {@link Mode#BAR}, the bar is as wide as the
   * terminal, asked through JLine at the first bar (80 columns when it cannot tell).
   */
  public static Progress of(PrintStream out, Mode mode) {
    if (out == null) {
      throw new IllegalArgumentException("Progress: the output stream is null: pass System.err, "
          + "or use Progress.quiet() for no output");
    }
    if (mode == null) {
      throw new IllegalArgumentException("Progress: the mode is null: use Mode.BAR, Mode.PLAIN "
          + "or Mode.QUIET");
    }
    return new Progress(out, mode, 0);
  }

  /** Progress that prints nothing (e.g. behind a {@code --quiet} flag). */
  public static Progress quiet() {
    return new Progress(System.err, Mode.QUIET, 0);
  }

  /**
   * The same progress with the bar drawn in {@code columns} characters instead of the terminal's
   * width (does not query the terminal; useful when {@code out} is not the console).
   */
  public Progress width(int columns) {
    if (columns < 40) {
      throw new IllegalArgumentException("Progress.width: " + columns + " columns is too narrow "
          + "for the bar: use at least 40");
    }
    return new Progress(out, mode, columns);
  }

  /** The mode this progress prints in. */
  public Mode mode() {
    return mode;
  }

  /**
   * The mode for an environment: {@link Mode#PLAIN} without a console, when {@code ci} (the
   * {@code CI} variable) is {@code true} or {@code term} (the {@code TERM} variable) is
   * {@code dumb}; {@link Mode#BAR} otherwise.
   */
  static Mode detect(boolean console, String ci, String term) {
    boolean plain = !console || "true".equalsIgnoreCase(ci) || "dumb".equals(term);
    return plain ? Mode.PLAIN : Mode.BAR;
  }

  @Override
  public void beforeTraining(int epochs, int batchesPerEpoch, int samples) {
    closeBar();
    this.epochs = epochs;
    this.batchesPerEpoch = batchesPerEpoch;
    this.samplesPerEpoch = samples;
    runStart = System.nanoTime();
    startEpoch(runStart);
  }

  @Override
  public void afterBatch(int epoch, int batch, int samples, double loss) {
    if (mode == Mode.QUIET) {
      return;
    }
    lastBatch = System.nanoTime();
    samplesDone += samples;
    lossSum += loss * samples;
    if (mode != Mode.BAR) {
      return;
    }
    if (bar == null) {
      bar = newBar(epoch);
    }
    // The bar is redrawn every BAR_MESSAGE_MILLIS, so it is moved at that pace too.
    if (lastBatch - lastMessage >= BAR_MESSAGE_MILLIS * 1_000_000L) {
      lastMessage = lastBatch;
      bar.stepTo(samplesDone);
      bar.setExtraMessage(String.format(Locale.ROOT, " batch %d/%d, loss %s%s, run ETA %s",
          batch, batchesPerEpoch, formatLoss(lossSum / samplesDone), speed(),
          duration(runEta(epoch, lastBatch))));
    }
  }

  @Override
  public boolean afterEpoch(EpochRecord record, Model model) {
    if (mode == Mode.BAR) {
      if (bar == null) {
        bar = newBar(record.epoch());
      }
      bar.stepTo(samplesDone);
      bar.setExtraMessage(summary(record));
      closeBar();
    } else if (mode == Mode.PLAIN) {
      String eta = record.epoch() < epochs
          ? ", ETA " + duration(runEta(record.epoch(), System.nanoTime())) : "";
      out.println(record.describe(epochs) + speed() + eta);
      out.flush();
    }
    startEpoch(System.nanoTime());   // after the output, which may have waited for the bar
    return false;
  }

  private void startEpoch(long now) {
    epochStart = now;
    lastBatch = now;
    lastMessage = now;
    samplesDone = 0;
    lossSum = 0;
  }

  /**
   * Samples per second over the epoch's updates (evaluation excluded), e.g.
   * {@code ", 23,400 samples/s"}; empty before any update.
   */
  private String speed() {
    long nanos = lastBatch - epochStart;
    return nanos > 0 && samplesDone > 0
        ? String.format(Locale.ROOT, ", %,.0f samples/s", samplesDone * 1e9 / nanos) : "";
  }

  /**
   * Seconds left in the run, during 1-based {@code epoch} at time {@code now}, from the mean
   * time per sample so far.
   */
  private double runEta(int epoch, long now) {
    double done = (double) (epoch - 1) * samplesPerEpoch + samplesDone;
    double total = (double) epochs * samplesPerEpoch;
    if (done <= 0) {
      return Double.NaN;
    }
    return (now - runStart) / 1e9 * (total - done) / done;
  }

  private ProgressBar newBar(int epoch) {
    consumer = new Line();
    return new ProgressBarBuilder()
        .setTaskName("epoch " + epoch + "/" + epochs)
        .setInitialMax(samplesPerEpoch)
        .setUnit(" samples", 1)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(BAR_MESSAGE_MILLIS)
        .setConsumer(consumer)
        .build();
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      // The library draws the final state on close but skips ending the line when the bar is
      // closed before its first scheduled redraw (a short epoch): end it here then.
      if (!consumer.closed) {
        consumer.close();
      }
      bar = null;
      consumer = null;
    }
  }

  /**
   * The finished epoch's figures for its bar, short enough to leave the bar room, e.g.
   * {@code loss 0.2140, val loss 0.2512, val acc 97.3%, 23,400 samples/s}.
   */
  private String summary(EpochRecord record) {
    Metrics v = record.validation();
    return " loss " + formatLoss(record.trainLoss())
        + (v.present() ? ", val loss " + formatLoss(v.loss()) : "")
        + (Double.isNaN(v.accuracy()) ? ""
            : String.format(Locale.ROOT, ", val acc %.1f%%", 100 * v.accuracy()))
        + speed();
  }

  /**
   * Draws the bar on {@link #out}: each drawing returns to the start of the line and overwrites
   * it; closing ends the line. Remembers whether the library has closed it.
   */
  private final class Line implements ProgressBarConsumer {
    private volatile boolean closed;

    /**
     * The given width, else the terminal's, asked once per {@code Progress} (through JLine, which
     * can take a second) rather than once per bar as the library's console consumer does.
     */
    @Override
    public int getMaxRenderedLength() {
      if (width > 0) {
        return width;
      }
      if (terminalWidth == 0) {
        terminalWidth = new ConsoleProgressBarConsumer(out).getMaxRenderedLength();
      }
      return terminalWidth;
    }

    @Override
    public void accept(String rendered) {
      int columns = getMaxRenderedLength();
      out.print('\r' + (rendered.length() > columns ? rendered.substring(0, columns) : rendered));
      out.flush();
    }

    @Override
    public void close() {
      closed = true;
      out.println();
      out.flush();
    }
  }

  private static String formatLoss(double v) {
    return String.format(Locale.ROOT,
        Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? "%.4f" : "%.3e", v);
  }

  /** {@code h:mm:ss}, or {@code ?} when unknown. */
  static String duration(double seconds) {
    if (!(seconds >= 0) || seconds > 1e8) {
      return "?";
    }
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }
}
