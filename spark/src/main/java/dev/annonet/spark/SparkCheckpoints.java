package dev.annonet.spark;

import dev.annonet.Model;
import dev.annonet.io.Checkpoint;
import dev.annonet.optim.Optimizer;
import dev.annonet.train.EpochRecord;
import dev.annonet.train.History;
import dev.annonet.train.SampleOrder;
import dev.annonet.train.StopReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The driver's side of {@link Checkpoint}s for a Spark run, in the single-machine trainer's
 * format. The rows stay on the executors, so the checkpoint's data fingerprint is one of the
 * partition sizes (which, with the seed, fix the sample order and each partition's share of
 * every minibatch); a resume with other sizes, seed or batch size is refused.
 */
final class SparkCheckpoints {

  private final Model model;
  private final Optimizer optimizer;
  private final SampleOrder order;
  private final long seed;
  private final int batchSize;
  private final int[] sizes;
  private final long validation;

  SparkCheckpoints(Model model, Optimizer optimizer, SampleOrder order, long seed,
      int batchSize, int[] sizes, dev.annonet.data.Dataset validation) {
    this.model = model;
    this.optimizer = optimizer;
    this.order = order;
    this.seed = seed;
    this.batchSize = batchSize;
    this.sizes = sizes.clone();
    this.validation = validation == null ? 0 : validation.fingerprint();
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
    return file;
  }

  /** A fingerprint of the partition sizes (FNV-1a over their count and values). */
  static long fingerprint(int[] sizes) {
    long h = 0xcbf29ce484222325L;
    h = (h ^ sizes.length) * 0x100000001b3L;
    for (int size : sizes) {
      h = (h ^ size) * 0x100000001b3L;
    }
    return h;
  }

  /**
   * Puts the model, the optimizer, the sample order and the history back where the checkpoint
   * at {@code file} left them and returns its progress, or returns null (changing nothing) when
   * there is no such file.
   */
  Checkpoint.Progress resume(Path file, History history) {
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
    int rows = Arrays.stream(sizes).sum();
    if (p.samples() != rows || p.data() != fingerprint(sizes)) {
      problems.add("it was written for " + p.samples() + " rows in other partitions, this "
          + "DataFrame has " + rows + " rows in partitions of sizes " + Arrays.toString(sizes)
          + " (the partition sizes fix each update's slices; give the DataFrame the "
          + "partitioning of the run that wrote it, e.g. the same source and repartition)");
    } else if (p.order().length != rows) {
      problems.add("its sample order has " + p.order().length + " rows, not " + rows);
    }
    if (p.validationData() != validation) {
      problems.add(p.validationData() == 0 ? "it was written without a validation set, this "
          + "run has one" : "it was written with another validation set, or none here");
    }
    if (checkpoint.best() != null) {
      problems.add("it was written with early stopping, which SparkTrainer does not do");
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
    order.restore(p.shuffleState(), p.order());
    for (EpochRecord record : checkpoint.history()) {
      history.add(record);
    }
    return p;
  }

  /**
   * Writes the run after {@code epochs} epochs and {@code updates} optimizer steps; {@code stop}
   * and {@code message} (the report's) are null while it goes on.
   */
  void save(Path file, int epochs, long updates, History history, StopReason stop,
      String message) {
    int rows = Arrays.stream(sizes).sum();
    Checkpoint.Progress progress = new Checkpoint.Progress(epochs, updates, seed, batchSize,
        rows, fingerprint(sizes), validation, order.state(), order.current().clone(), stop,
        message);
    try {
      Checkpoint.of(model, optimizer, progress, history.epochs()).write(file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the checkpoint " + file + ": "
          + e.getMessage(), e);
    }
  }
}
