package dev.annonet.spark;

import dev.annonet.data.Dataset;
import dev.annonet.train.Metrics;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * Measures a partition in inference mode at the broadcast parameters: the loss and gradient sums
 * over its rows (for the epoch's training loss and gradient norm), or its {@link Metrics}.
 */
final class EvaluationTask implements FlatMapFunction<Iterator<Block>, EvaluationTask.Totals> {
  private static final long serialVersionUID = 1L;

  /** Rows per forward pass, as the single-machine trainer evaluates. */
  private static final int CHUNK = 1024;

  /** One partition's sums (gradient mode) or mean metrics (metrics mode). */
  static final class Totals implements Serializable {
    private static final long serialVersionUID = 1L;

    final int rows;
    final double lossSum;
    final double[] gradientSum;
    final double[] metrics;

    Totals(int rows, double lossSum, double[] gradientSum, double[] metrics) {
      this.rows = rows;
      this.lossSum = lossSum;
      this.gradientSum = gradientSum;
      this.metrics = metrics;
    }
  }

  private final String key;
  private final ModelFactory<?> factory;
  private final Broadcast<float[]> parameters;
  private final boolean metrics;

  EvaluationTask(String key, ModelFactory<?> factory, Broadcast<float[]> parameters,
      boolean metrics) {
    this.key = key;
    this.factory = factory;
    this.parameters = parameters;
    this.metrics = metrics;
  }

  @Override
  public Iterator<Totals> call(Iterator<Block> blocks) {
    if (!blocks.hasNext()) {
      return List.<Totals>of().iterator();
    }
    Block block = blocks.next();
    if (block.rows == 0) {
      return List.<Totals>of().iterator();
    }
    Worker w = Worker.borrow(key, factory);
    try {
      int chunk = Math.min(CHUNK, block.rows);
      w.load(parameters.value(), chunk);
      w.model.setTraining(false);
      int in = w.model.inputSize();
      int out = w.model.targetSize();
      if (metrics) {
        Metrics m = Metrics.of(w.model, Dataset.of(block.x, in, block.y, out));
        return List.of(new Totals(block.rows, m.loss() * block.rows, null,
            new double[] {m.loss(), m.accuracy(), m.mse(), m.mae()})).iterator();
      }
      double lossSum = 0;
      double[] gradientSum = new double[w.model.parameterCount()];
      float[] g = w.model.gradients();
      for (int start = 0; start < block.rows; start += chunk) {
        int count = Math.min(chunk, block.rows - start);
        System.arraycopy(block.x, start * in, w.x, 0, count * in);
        System.arraycopy(block.y, start * out, w.y, 0, count * out);
        lossSum += (double) w.model.lossAndGradient(w.x, w.y, count) * count;
        for (int i = 0; i < g.length; i++) {
          gradientSum[i] += (double) g[i] * count;
        }
      }
      return List.of(new Totals(block.rows, lossSum, gradientSum, null)).iterator();
    } finally {
      Worker.giveBack(key, w);
    }
  }
}
