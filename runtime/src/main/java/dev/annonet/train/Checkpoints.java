package dev.annonet.train;

import dev.annonet.Model;
import dev.annonet.io.SafeTensors;
import dev.annonet.optim.IterateAverage;
import dev.annonet.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainer's side of {@link Checkpoint}s: captures a run after an epoch and puts a run back
 * where a checkpoint left it. Besides what {@link Checkpoint#restore} checks, a checkpoint must
 * come from a run with the same seed, batch size, training data (as {@link Data} identifies it),
 * validation data and early-stopping setting. Early stopping's counters are rebuilt by
 * replaying the history, and its best epoch's parameters are read from the checkpoint, so a
 * resumed run stops and restores as an uninterrupted one would.
 *
 * <p>Public so that a trainer in another module ({@code SparkTrainer}, whose rows stay on a
 * cluster) writes and resumes the same checkpoints, identifying its data its own way.
 */
public final class Checkpoints {

  /**
   * The data a run trains on and measures, as its checkpoints identify it. Fingerprints are
   * asked for only when a checkpoint is written or read.
   */
  public interface Data {

    /** Rows in the training set. */
    int samples();

    /** A fingerprint of the training rows, recorded as {@link Checkpoint.Progress#data()}. */
    long fingerprint();

    /** A fingerprint of the validation data, or 0 without any. */
    long validation();

    /**
     * Why a checkpoint whose progress is {@code written} was not written for this training
     * data (its {@code samples} and {@code data} fields), or null when it was.
     */
    String mismatch(Checkpoint.Progress written);

    /**
     * The trainer's settings that fix the run besides seed and batch size, as comma-separated
     * {@code name value} pairs recorded as {@link Checkpoint.Progress#settings()} (none by
     * default); a checkpoint with other values is refused naming both.
     */
    default String settings() {
      return "";
    }
  }

  private final Model model;
  private final Optimizer optimizer;
  private final SampleOrder order;
  private final History history;
  private final EarlyStopping stopping;
  private final long seed;
  private final int batchSize;
  private final Data data;
  private final IterateAverage average;

  /**
   * Checkpoints of a run of {@code model} and {@code optimizer} that visits the rows in
   * {@code order}, records its epochs in {@code history} and stops early with {@code stopping}
   * (null for none).
   */
  public Checkpoints(Model model, Optimizer optimizer, SampleOrder order, History history,
      EarlyStopping stopping, long seed, int batchSize, Data data) {
    this(model, optimizer, order, history, stopping, seed, batchSize, data, null);
  }

  /**
   * As {@link #Checkpoints(Model, Optimizer, SampleOrder, History, EarlyStopping, long, int,
   * Data)}, for a run that averages its iterates into {@code average} (null for none): its
   * checkpoints hold the average, and a checkpoint with another averaging setting is refused.
   */
  public Checkpoints(Model model, Optimizer optimizer, SampleOrder order, History history,
      EarlyStopping stopping, long seed, int batchSize, Data data, IterateAverage average) {
    this.average = average;
    this.model = model;
    this.optimizer = optimizer;
    this.order = order;
    this.history = history;
    this.stopping = stopping;
    this.seed = seed;
    this.batchSize = batchSize;
    this.data = data;
  }

  /** Checkpoints of a single-machine run, whose data is identified by its rows' values. */
  static Checkpoints of(Model model, Optimizer optimizer, Run run, History history,
      EarlyStopping stopping, long seed, int batchSize) {
    return new Checkpoints(model, optimizer, run.sampleOrder(), history, stopping, seed,
        batchSize, new Data() {
          @Override
          public int samples() {
            return run.samples();
          }

          @Override
          public long fingerprint() {
            // One pass over the data, then kept by the data set.
            return run.train().fingerprint();
          }

          @Override
          public long validation() {
            return run.validation() == null ? 0 : run.validation().fingerprint();
          }

          @Override
          public String mismatch(Checkpoint.Progress p) {
            if (p.samples() != samples()) {
              return "it was written for " + p.samples() + " training rows, this data set has "
                  + samples();
            }
            if (p.data() != fingerprint()) {
              return "it was written for other training data: the " + samples() + " rows"
                  + " differ in their values or order (fingerprint "
                  + Long.toHexString(p.data()) + " there, " + Long.toHexString(fingerprint())
                  + " here)";
            }
            return null;
          }
        }, run.average());
  }

  /** Checks a file given to {@code checkpointEvery} or {@code resumeFrom} when it is set. */
  public static Path checkFile(Path file, String method) {
    if (file == null) {
      throw new IllegalArgumentException(method + ": the checkpoint file is null");
    }
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(method + ": " + file + " is a directory; give the"
          + " checkpoint a file name inside it, e.g. " + file.resolve("run.ckpt"));
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
      throw new IllegalArgumentException(method + ": " + parent + " is a file, not a directory,"
          + " so " + file + " cannot be created there");
    }
    return file;
  }

  /**
   * Puts the model, the optimizer, the sample order, the history and the early stopping back
   * where the checkpoint at {@code file} left them and returns its progress (the caller takes
   * its {@link Checkpoint.Progress#updates()}), or returns null (and changes nothing) when there
   * is no such file.
   *
   * @throws UncheckedIOException if the file is unreadable, damaged or from another run
   */
  public Checkpoint.Progress resume(Path file) {
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.read(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    Checkpoint.Progress p = checkpoint.progress();
    List<String> problems = new ArrayList<>();
    if (p.seed() != seed) {
      problems.add("it was written with seed " + p.seed() + ", this trainer uses " + seed);
    }
    if (p.batchSize() != batchSize) {
      problems.add("it was written with batch size " + p.batchSize() + ", this trainer uses "
          + batchSize);
    }
    String mismatch = data.mismatch(p);
    if (mismatch != null) {
      problems.add(mismatch);
    } else if (!isPermutation(p.order())) {
      problems.add("its sample order is not a permutation of the " + data.samples() + " rows");
    }
    problems.addAll(settingProblems(p.settings(), data.settings()));
    String averaged = checkpoint.average() == null ? null : checkpoint.average().setting();
    String averaging = average == null ? null : average.averaging().toString();
    if (averaged == null && averaging != null) {
      problems.add("it was written without iterate averaging, this trainer averages ("
          + averaging + ")");
    } else if (averaged != null && averaging == null) {
      problems.add("it was written with iterate averaging (" + averaged + "), this trainer has"
          + " none");
    } else if (averaged != null && !averaged.equals(averaging)) {
      problems.add("it was written with iterate averaging " + averaged + ", this trainer"
          + " averages " + averaging);
    }
    long validationData = data.validation();
    if (p.validationData() != validationData) {
      problems.add(p.validationData() == 0 ? "it was written without a validation set, this run"
          + " has one" : validationData == 0 ? "it was written with a validation set, this run"
          + " has none" : "it was written with another validation set (fingerprint "
          + Long.toHexString(p.validationData()) + " there, "
          + Long.toHexString(validationData) + " here)");
    }
    Checkpoint.Best best = checkpoint.best();
    if (stopping == null && best != null) {
      problems.add("it was written with early stopping on " + best.setting() + ", this trainer"
          + " has none");
    } else if (stopping != null && best == null) {
      problems.add("it was written without early stopping, this trainer stops early on "
          + stopping.setting());
    } else if (stopping != null && !best.setting().equals(stopping.setting())) {
      problems.add("it was written with early stopping on " + best.setting() + ", this trainer"
          + " stops early on " + stopping.setting());
    } else if (stopping != null) {
      // The early stopping belongs to this fit() call: replaying into it changes nothing else.
      for (EpochRecord record : checkpoint.history()) {
        stopping.replay(record);
      }
      if (stopping.bestEpoch() != best.epoch()) {
        problems.add("its history makes epoch " + stopping.bestEpoch() + " the best by "
            + stopping.metric() + " but it holds the parameters of epoch " + best.epoch());
      }
    }
    try {
      if (!problems.isEmpty()) {
        throw new IOException(file + " does not fit this run: " + String.join("; ", problems)
            + ". Resume with the settings and data that wrote it, or delete it to start over");
      }
      checkpoint.restore(model, optimizer, average);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    if (stopping != null && best.epoch() > 0) {
      stopping.loadBest(best.model());
    }
    order.restore(p.shuffleState(), p.order());
    for (EpochRecord record : checkpoint.history()) {
      history.add(record);
    }
    return p;
  }

  /**
   * Writes the run after {@code epochs} epochs and {@code updates} optimizer steps; {@code stop}
   * and {@code message} (the report's) are null while it goes on. {@code lastEpoch} holds the
   * parameters and buffers after the last epoch, by PyTorch name, when the model was put back to
   * its best epoch at the end of a run that ran all its epochs, else it is empty (see
   * {@link Checkpoint#lastEpoch()}).
   */
  public void save(Path file, int epochs, long updates, StopReason stop, String message,
      Map<String, SafeTensors.Tensor> lastEpoch) {
    Checkpoint.Progress progress = new Checkpoint.Progress(epochs, updates, seed, batchSize,
        data.samples(), data.fingerprint(), data.validation(), order.state(),
        order.current().clone(), stop, message, data.settings());
    Checkpoint.Best best = stopping == null ? null
        : new Checkpoint.Best(stopping.setting(), stopping.bestEpoch(), stopping.bestTensors());
    try {
      Checkpoint.of(model, optimizer, progress, history.epochs(), best, lastEpoch, average)
          .write(file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the checkpoint " + file + ": "
          + e.getMessage(), e);
    }
  }

  /** One problem per setting whose value differs between {@code written} and {@code here}. */
  private static List<String> settingProblems(String written, String here) {
    List<String> problems = new ArrayList<>();
    if (written.equals(here)) {
      return problems;
    }
    Map<String, String> there = settings(written);
    Map<String, String> ours = settings(here);
    for (Map.Entry<String, String> setting : ours.entrySet()) {
      String name = setting.getKey();
      String was = there.getOrDefault(name, "(not recorded)");
      if (!was.equals(setting.getValue())) {
        problems.add("it was written with " + name + " " + was + ", this trainer uses " + name
            + " " + setting.getValue());
      }
    }
    for (String name : there.keySet()) {
      if (!ours.containsKey(name)) {
        problems.add("it was written with " + name + " " + there.get(name) + ", which this "
            + "trainer does not have");
      }
    }
    return problems;
  }

  /** {@code name value} pairs from their comma-separated text, in order. */
  private static Map<String, String> settings(String text) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String pair : text.isEmpty() ? new String[0] : text.split(", ")) {
      int space = pair.indexOf(' ');
      settings.put(space < 0 ? pair : pair.substring(0, space),
          space < 0 ? "" : pair.substring(space + 1));
    }
    return settings;
  }

  private boolean isPermutation(int[] order) {
    boolean[] seen = new boolean[order.length];
    for (int i : order) {
      if (i < 0 || i >= order.length || seen[i]) {
        return false;
      }
      seen[i] = true;
    }
    return true;
  }
}
