package dev.annonet.spark;

import dev.annonet.Model;
import dev.annonet.optim.Optimizer;
import dev.annonet.train.Checkpoint;
import dev.annonet.train.Checkpoints;
import dev.annonet.train.EarlyStopping;
import dev.annonet.train.History;
import dev.annonet.train.SampleOrder;
import java.util.Arrays;

/**
 * The runtime's {@link Checkpoints} for a Spark run, in the single-machine trainer's format. The
 * rows stay on the executors, so the checkpoint's data fingerprint is one of the partition sizes
 * (which, with the seed, fix the sample order and each partition's share of every minibatch); a
 * resume with other sizes is refused naming them. The local steps and the aggregation, which fix
 * every update too, are recorded as the trainer's settings, so a resume with others is refused
 * naming both values.
 */
final class SparkCheckpoints {

  private SparkCheckpoints() {}

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
   * Checkpoints of a run over partitions of {@code sizes} rows with {@code localSteps} and
   * {@code aggregation} that measures validation data of fingerprint {@code validation} (0 for
   * none).
   */
  static Checkpoints of(Model model, Optimizer optimizer, SampleOrder order, History history,
      EarlyStopping stopping, long seed, int batchSize, int[] sizes, int localSteps,
      Aggregation aggregation, long validation) {
    return new Checkpoints(model, optimizer, order, history, stopping, seed, batchSize,
        new Partitions(sizes.clone(), validation,
            "localSteps " + localSteps + ", aggregation " + aggregation));
  }

  /** Training rows identified by the partition sizes, and the settings of the updates. */
  private record Partitions(int[] sizes, long validation, String settings)
      implements Checkpoints.Data {

    @Override
    public int samples() {
      return Arrays.stream(sizes).sum();
    }

    @Override
    public long fingerprint() {
      return SparkCheckpoints.fingerprint(sizes);
    }

    @Override
    public String mismatch(Checkpoint.Progress p) {
      if (p.samples() == samples() && p.data() == fingerprint()) {
        return null;
      }
      return "it was written for " + p.samples() + " rows in other partitions, this "
          + "DataFrame has " + samples() + " rows in partitions of sizes "
          + Arrays.toString(sizes) + " (the partition sizes fix each update's slices; give the "
          + "DataFrame the partitioning of the run that wrote it, e.g. the same source and "
          + "repartition)";
    }
  }
}
