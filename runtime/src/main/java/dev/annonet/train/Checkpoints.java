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

/**
 * The trainer's side of {@link Checkpoint}s: captures a run after an epoch and puts a run back
 * where a checkpoint left it. Besides what {@link Checkpoint#restore} checks, a checkpoint must
 * come from a run with the same seed, batch size and number of training rows.
 */
final class Checkpoints {

  private final Model model;
  private final Optimizer optimizer;
  private final Run run;
  private final History history;
  private final long seed;
  private final int batchSize;

  Checkpoints(Model model, Optimizer optimizer, Run run, History history, long seed,
      int batchSize) {
    this.model = model;
    this.optimizer = optimizer;
    this.run = run;
    this.history = history;
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
   * Puts the model, the optimizer, the run and the history back where the checkpoint at
   * {@code file} left them and returns its progress, or returns null (and changes nothing) when
   * there is no such file.
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
    } else if (!isPermutation(p.order())) {
      problems.add("its sample order is not a permutation of the " + run.samples() + " rows");
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
    run.resume(p.updates(), p.shuffleState(), p.order());
    for (EpochRecord record : checkpoint.history()) {
      history.add(record);
    }
    return p;
  }

  /** Writes the run after {@code epochs} epochs; {@code stop} is null while it goes on. */
  void save(Path file, int epochs, StopReason stop) {
    Checkpoint.Progress progress = new Checkpoint.Progress(epochs, run.updates(), seed,
        batchSize, run.samples(), run.shuffleState(), run.order(), stop);
    try {
      Checkpoint.of(model, optimizer, progress, history.epochs()).write(file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the checkpoint " + file + ": "
          + e.getMessage(), e);
    }
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
