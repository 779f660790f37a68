package dev.annonet.train;

import dev.annonet.Model;
import dev.annonet.io.Checkpoint;
import dev.annonet.optim.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trainer's side of {@link Checkpoint}s: captures a run after an epoch and puts a run back
 * where a checkpoint left it. Besides what {@link Checkpoint#restore} checks, a checkpoint must
 * come from a run with the same seed, batch size, number of training rows and early-stopping
 * setting. Early stopping's counters are rebuilt by replaying the history, and its best epoch's
 * parameters are read from the checkpoint, so a resumed run stops and restores as an
 * uninterrupted one would.
 */
final class Checkpoints {

  private final Model model;
  private final Optimizer optimizer;
  private final Run run;
  private final History history;
  private final EarlyStopping stopping;
  private final long seed;
  private final int batchSize;

  /** {@code stopping} is the run's early stopping, null for none. */
  Checkpoints(Model model, Optimizer optimizer, Run run, History history,
      EarlyStopping stopping, long seed, int batchSize) {
    this.model = model;
    this.optimizer = optimizer;
    this.run = run;
    this.history = history;
    this.stopping = stopping;
    this.seed = seed;
    this.batchSize = batchSize;
  }

  /** Checks a file given to {@code checkpointEvery} or {@code resumeFrom} when it is set. */
  static Path checkFile(Path file, String method) {
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
   * Puts the model, the optimizer, the run, the history and the early stopping back where the
   * checkpoint at {@code file} left them and returns its progress, or returns null (and changes
   * nothing) when there is no such file.
   *
   * @throws UncheckedIOException if the file is unreadable, damaged or from another run
   */
  Checkpoint.Progress resume(Path file) {
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
    if (p.samples() != run.samples()) {
      problems.add("it was written for " + p.samples() + " training rows, this data set has "
          + run.samples());
    } else if (p.data() != trainData()) {
      problems.add("it was written for other training data: the " + run.samples() + " rows"
          + " differ in their values or order (fingerprint " + Long.toHexString(p.data())
          + " there, " + Long.toHexString(trainData()) + " here)");
    } else if (!isPermutation(p.order())) {
      problems.add("its sample order is not a permutation of the " + run.samples() + " rows");
    }
    if (p.validationData() != validationData()) {
      problems.add(p.validationData() == 0 ? "it was written without a validation set, this run"
          + " has one" : validationData() == 0 ? "it was written with a validation set, this run"
          + " has none" : "it was written with another validation set (fingerprint "
          + Long.toHexString(p.validationData()) + " there, "
          + Long.toHexString(validationData()) + " here)");
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
      checkpoint.restore(model, optimizer);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    if (stopping != null && best.epoch() > 0) {
      stopping.loadBest(best.model());
    }
    run.resume(p.updates(), p.shuffleState(), p.order());
    for (EpochRecord record : checkpoint.history()) {
      history.add(record);
    }
    return p;
  }

  /**
   * Writes the run after {@code epochs} epochs; {@code stop} and {@code message} (the report's)
   * are null while it goes on. {@code lastEpoch} holds the parameters after the last epoch when
   * the model was put back to its best epoch at the end of a run that ran all its epochs, else
   * it is null.
   */
  void save(Path file, int epochs, StopReason stop, String message, Snapshot lastEpoch) {
    Checkpoint.Progress progress = new Checkpoint.Progress(epochs, run.updates(), seed,
        batchSize, run.samples(), trainData(), validationData(), run.shuffleState(), run.order(),
        stop, message);
    Checkpoint.Best best = stopping == null ? null
        : new Checkpoint.Best(stopping.setting(), stopping.bestEpoch(), stopping.bestTensors());
    try {
      Checkpoint.of(model, optimizer, progress, history.epochs(), best,
          lastEpoch == null ? Map.of() : lastEpoch.tensors()).write(file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the checkpoint " + file + ": "
          + e.getMessage(), e);
    }
  }

  /** The training set's fingerprint (one pass over the data, then kept by the data set). */
  private long trainData() {
    return run.train().fingerprint();
  }

  /** The validation set's fingerprint, or 0 without one. */
  private long validationData() {
    return run.validation() == null ? 0 : run.validation().fingerprint();
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
