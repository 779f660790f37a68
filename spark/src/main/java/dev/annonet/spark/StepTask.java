package dev.annonet.spark;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * One update's work on an executor: the partition's rows among the minibatch
 * {@code order[start .. start + count)}, kept in minibatch order, go through the model in one
 * pass at the broadcast parameters. The result depends only on the inputs, so a retried task
 * returns the same slice and Spark keeps one result per partition: nothing is counted twice.
 */
final class StepTask implements FlatMapFunction<Iterator<Block>, Slice> {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final ModelFactory<?> factory;
  private final Broadcast<float[]> parameters;
  private final Broadcast<int[]> order;
  private final int[] offsets;
  private final int start;
  private final int count;
  private final long randomSeed;
  private final long update;

  StepTask(String key, ModelFactory<?> factory, Broadcast<float[]> parameters,
      Broadcast<int[]> order, int[] offsets, int start, int count, long randomSeed,
      long update) {
    this.key = key;
    this.factory = factory;
    this.parameters = parameters;
    this.order = order;
    this.offsets = offsets;
    this.start = start;
    this.count = count;
    this.randomSeed = randomSeed;
    this.update = update;
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
      w.load(parameters.value(), count);
      int rows = 0;
      for (int i = start; i < start + count; i++) {
        int row = ordered[i];
        if (row >= from && row < to) {
          w.rows[rows++] = row - from;
        }
      }
      if (rows == 0) {
        return List.<Slice>of().iterator();
      }
      int in = w.model.inputSize();
      int out = w.model.targetSize();
      for (int r = 0; r < rows; r++) {
        System.arraycopy(block.x, w.rows[r] * in, w.x, r * in, in);
        System.arraycopy(block.y, w.rows[r] * out, w.y, r * out, out);
      }
      w.model.setTraining(true);
      seedRandomStreams(w, block.partition);
      float loss = w.model.lossAndGradient(w.x, w.y, rows);
      Slice slice = new Slice(block.partition, rows, loss, w.model.gradients().clone());
      return List.of(slice).iterator();
    } finally {
      Worker.giveBack(key, w);
    }
  }

  /**
   * Gives a model with random streams (dropout) streams that depend only on the seed, the update
   * and the partition, so a run, and a retried task, draws the same masks every time.
   */
  private void seedRandomStreams(Worker w, int partition) {
    long[] state = w.model.randomState();
    if (state.length == 0) {
      return;
    }
    for (int j = 0; j < state.length; j++) {
      state[j] = mix(mix(mix(randomSeed + j) ^ update) ^ partition);
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
