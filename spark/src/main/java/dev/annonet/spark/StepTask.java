package dev.annonet.spark;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * One update's work on an executor. The update covers {@code minibatches} consecutive
 * minibatches of {@code batch} rows from {@code order[start ..]} (one, except with local steps).
 * For each, the partition's rows among it, kept in minibatch order, go through the model in one
 * pass; between minibatches the partition takes a plain SGD step of size {@code localStepSize}
 * on its own copy of the parameters. The slice returned holds the partition's rows over all the
 * minibatches and their row-weighted mean loss and gradient, so with one minibatch it is exactly
 * that minibatch's slice. The result depends only on the inputs, so a retried task returns the
 * same slice and Spark keeps one result per partition: nothing is counted twice.
 */
final class StepTask implements FlatMapFunction<Iterator<Block>, Slice> {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final ModelFactory<?> factory;
  private final Broadcast<float[]> parameters;
  private final Broadcast<int[]> order;
  private final int[] offsets;
  private final int start;
  private final int batch;
  private final int minibatches;
  private final float localStepSize;
  private final long randomSeed;
  private final long firstMinibatch;

  /**
   * {@code firstMinibatch} numbers the update's first minibatch in the run, which seeds the
   * random streams (dropout) of each minibatch.
   */
  StepTask(String key, ModelFactory<?> factory, Broadcast<float[]> parameters,
      Broadcast<int[]> order, int[] offsets, int start, int batch, int minibatches,
      float localStepSize, long randomSeed, long firstMinibatch) {
    this.key = key;
    this.factory = factory;
    this.parameters = parameters;
    this.order = order;
    this.offsets = offsets;
    this.start = start;
    this.batch = batch;
    this.minibatches = minibatches;
    this.localStepSize = localStepSize;
    this.randomSeed = randomSeed;
    this.firstMinibatch = firstMinibatch;
  }

  @Override
  public Iterator<Slice> call(Iterator<Block> blocks) {
    if (!blocks.hasNext()) {
      return List.<Slice>of().iterator();
    }
    Block block = blocks.next();
    int from = offsets[block.partition];
    int to = from + block.rows;
    int[] ordered = order.value();
    Worker w = Worker.borrow(key, factory);
    try {
      w.load(parameters.value(), batch);
      w.model.setTraining(true);
      float[] p = w.model.parameters();
      float[] g = w.model.gradients();
      double[] sums = null;
      double lossSum = 0;
      int total = 0;
      for (int m = 0; m < minibatches; m++) {
        int first = start + m * batch;
        int last = Math.min(first + batch, ordered.length);
        int rows = 0;
        for (int i = first; i < last; i++) {
          int row = ordered[i];
          if (row >= from && row < to) {
            w.rows[rows++] = row - from;
          }
        }
        if (rows == 0) {
          continue;
        }
        int in = w.model.inputSize();
        int out = w.model.targetSize();
        for (int r = 0; r < rows; r++) {
          System.arraycopy(block.x, w.rows[r] * in, w.x, r * in, in);
          System.arraycopy(block.y, w.rows[r] * out, w.y, r * out, out);
        }
        seedRandomStreams(w, block.partition, firstMinibatch + m);
        float loss = w.model.lossAndGradient(w.x, w.y, rows);
        if (sums == null) {
          // Stored rather than added to zero, so one minibatch's slice (a -0.0 included) comes
          // back bit for bit: rows times a float is exact in double and the division undoes it.
          sums = new double[g.length];
          for (int i = 0; i < g.length; i++) {
            sums[i] = (double) g[i] * rows;
          }
          lossSum = (double) loss * rows;
        } else {
          for (int i = 0; i < g.length; i++) {
            sums[i] += (double) g[i] * rows;
          }
          lossSum += (double) loss * rows;
        }
        total += rows;
        if (m + 1 < minibatches) {
          for (int i = 0; i < p.length; i++) {
            p[i] -= localStepSize * g[i];
          }
        }
      }
      if (total == 0) {
        return List.<Slice>of().iterator();
      }
      float[] mean = new float[g.length];
      for (int i = 0; i < mean.length; i++) {
        mean[i] = (float) (sums[i] / total);
      }
      return List.of(new Slice(block.partition, total, (float) (lossSum / total), mean))
          .iterator();
    } finally {
      Worker.giveBack(key, w);
    }
  }

  /**
   * Gives a model with random streams (dropout) streams that depend only on the seed, the
   * minibatch and the partition, so a run, and a retried task, draws the same masks every time.
   */
  private void seedRandomStreams(Worker w, int partition, long minibatch) {
    long[] state = w.model.randomState();
    if (state.length == 0) {
      return;
    }
    for (int j = 0; j < state.length; j++) {
      state[j] = mix(mix(mix(randomSeed + j) ^ minibatch) ^ partition);
    }
    w.model.setRandomState(state);
  }

  /** splitmix64's finaliser: spreads every bit of {@code z} over the result. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
