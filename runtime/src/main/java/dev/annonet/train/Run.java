package dev.annonet.train;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.optim.Averaging;
import dev.annonet.optim.IterateAverage;
import dev.annonet.optim.Optimizer;
import dev.annonet.optim.Schedule;
import java.util.Arrays;
import java.util.List;

/**
 * The state of one training run: every buffer it needs, allocated in the constructor, so that
 * the epoch and evaluation methods allocate nothing. An update whose minibatch loss (or, when
 * clipping, gradient norm) is not finite is not applied: the epoch ends there and
 * {@link #divergence()} says where.
 */
final class Run {

  /** Rows per forward pass when evaluating a whole data set (bounds the model's buffers). */
  static final int EVALUATION_CHUNK = 1024;

  private final Model model;
  private final Optimizer optimizer;
  private final Schedule schedule;
  private final Dataset train;
  private final Dataset validation;
  private final double clipNorm;
  private final boolean fullBatch;
  private final int n;
  private final int batch;
  private final int chunk;
  private final float[] params;
  private final float[] grads;
  private final float[] x;
  private final float[] y;
  private final float[] predictions;
  private final SampleOrder order;
  private final double[] gradientSum;
  private final FullBatchObjective objective;
  // With partitions: partition k holds rows [partitionStarts[k], partitionStarts[k + 1]).
  private final int[] partitionStarts;
  private final int[] slice;
  private final GradientSum sum;
  // With iterate averaging: the average, and the training iterate while the model holds it.
  private final IterateAverage average;
  private final float[] iterate;
  private boolean averageIn;

  private long iteration;
  private float stepSize = Float.NaN;
  private double trainLoss = Double.NaN;
  private double gradientNorm = Double.NaN;
  private int epoch;
  private Divergence divergence;

  /**
   * A run over {@code train}, measuring {@code validation} (null for none) after each epoch and
   * clipping minibatch gradients to norm {@code clipNorm} (0 for no clipping); with
   * {@code partitions} (null for none, else sizes adding up to the training rows, checked by the
   * caller) each minibatch gradient is a {@link GradientSum} of the partitions' slices; with
   * {@code averaging} (null for none) the run keeps the {@link IterateAverage} of the points its
   * updates start from.
   */
  Run(Model model, Optimizer optimizer, Schedule schedule, Dataset train, Dataset validation,
      int batchSize, long seed, double clipNorm, int[] partitions, Averaging averaging) {
    this.model = model;
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.train = train;
    this.validation = validation;
    this.clipNorm = clipNorm;
    this.n = train.size();
    int largestEvaluatedSet = validation == null ? n : Math.max(n, validation.size());
    this.fullBatch = optimizer.needsObjective();
    // A batch larger than the data set is simply the whole data set.
    this.batch = fullBatch ? n : Math.min(batchSize, n);
    this.chunk = Math.max(batch, Math.min(EVALUATION_CHUNK, largestEvaluatedSet));
    model.reserve(chunk);
    this.params = model.parameters();
    this.grads = model.gradients();
    this.x = new float[chunk * model.inputSize()];
    this.y = new float[chunk * model.targetSize()];
    this.predictions = new float[chunk * model.outputSize()];
    this.order = new SampleOrder(n, seed);
    this.gradientSum = new double[params.length];
    // The full-batch objective reads the batch buffers, which hold the whole set during a step.
    this.objective = fullBatch ? new FullBatchObjective(model, x, y, n) : null;
    if (partitions == null) {
      this.partitionStarts = null;
      this.slice = null;
      this.sum = null;
    } else {
      this.partitionStarts = new int[partitions.length + 1];
      for (int k = 0; k < partitions.length; k++) {
        partitionStarts[k + 1] = partitionStarts[k] + partitions[k];
      }
      this.slice = new int[batch];
      this.sum = new GradientSum(params.length);
    }
    this.average = averaging == null ? null : new IterateAverage(averaging, params.length);
    this.iterate = averaging == null ? null : new float[params.length];
  }

  /** The data trained on. */
  Dataset train() {
    return train;
  }

  /** The data measured after every epoch, or null. */
  Dataset validation() {
    return validation;
  }

  /** Where training stopped being finite, or null while it is. */
  Divergence divergence() {
    return divergence;
  }

  /** Updates per epoch: ceil(n / batch), or 1 for a full-batch optimizer. */
  int updatesPerEpoch() {
    return (n + batch - 1) / batch;
  }

  /** Rows per update. */
  int batchSize() {
    return batch;
  }

  long updates() {
    return iteration;
  }

  float stepSize() {
    return stepSize;
  }

  /** Samples in the training set. */
  int samples() {
    return n;
  }

  /** The order in which the rows are visited, for checkpoints. */
  SampleOrder sampleOrder() {
    return order;
  }

  /** The average of the iterates, or null without averaging. */
  IterateAverage average() {
    return average;
  }

  /**
   * Puts the averaged parameters into the model, keeping the training iterate aside (nothing
   * happens without averaging, or while the average is empty); {@link #useIterate} undoes it.
   */
  void useAverage() {
    if (average == null || averageIn || average.isEmpty()) {
      return;
    }
    System.arraycopy(params, 0, iterate, 0, params.length);
    average.copyTo(params);
    averageIn = true;
  }

  /** Puts the training iterate back into the model after {@link #useAverage}. */
  void useIterate() {
    if (averageIn) {
      System.arraycopy(iterate, 0, params, 0, params.length);
      averageIn = false;
    }
  }

  /** Continues a run from a checkpoint after {@code updates} steps. */
  void resume(long updates) {
    iteration = updates;
  }

  double trainLoss() {
    return trainLoss;
  }

  double gradientNorm() {
    return gradientNorm;
  }

  /**
   * Runs one epoch (0-based) of updates: a reshuffle, then ceil(n / batch) steps, telling the
   * callbacks after each. Returns false, with {@link #divergence()} set, when an update met a
   * loss or gradient that is not finite (that update and the rest of the epoch are skipped).
   */
  boolean trainEpoch(int epoch, List<Callback> callbacks) {
    this.epoch = epoch;
    model.setTraining(true);
    if (fullBatch) {
      train.copyRows(0, n, x, y);
      float loss = model.lossAndGradient(x, y, n);
      float lr = schedule.stepSize(optimizer.learningRate(), epoch, iteration);
      if (!finite(loss, lr, epoch, 1)) {
        return false;
      }
      addToAverage(lr);
      iteration++;
      optimizer.step(params, grads, lr, objective, loss);
      stepSize = lr;
      afterBatch(callbacks, epoch, 1, n, loss);
      return true;
    }
    int[] order = this.order.next();
    int index = 0;
    for (int start = 0; start < n; start += batch) {
      int count = Math.min(batch, n - start);
      float loss;
      if (partitionStarts == null) {
        train.copyRows(order, start, count, x, y);
        loss = step(epoch, ++index, count);
      } else {
        loss = partitionedStep(epoch, ++index, order, start, count);
      }
      if (divergence != null) {
        return false;
      }
      afterBatch(callbacks, epoch, index, count, loss);
    }
    return true;
  }

  private static void afterBatch(List<Callback> callbacks, int epoch, int batch, int count,
      float loss) {
    for (int i = 0; i < callbacks.size(); i++) {
      callbacks.get(i).afterBatch(epoch + 1, batch, count, loss);
    }
  }

  /**
   * Update number {@code index} (1-based) of an epoch, on the first {@code count} rows of the
   * batch buffers; returns its minibatch loss. Skips the update and sets {@link #divergence()}
   * when the loss or the clipped gradient's norm is not finite.
   */
  float step(int epoch, int index, int count) {
    return update(epoch, index, model.lossAndGradient(x, y, count));
  }

  /**
   * Update number {@code index} on the rows {@code order[start .. start + count)}, its gradient
   * summed over the partitions in order: one model pass on each partition's rows of the batch (in
   * batch order), combined as {@link GradientSum} defines.
   */
  private float partitionedStep(int epoch, int index, int[] order, int start, int count) {
    sum.clear();
    for (int k = 0; k + 1 < partitionStarts.length; k++) {
      int from = partitionStarts[k];
      int to = partitionStarts[k + 1];
      int rows = 0;
      for (int i = start; i < start + count; i++) {
        if (order[i] >= from && order[i] < to) {
          slice[rows++] = order[i];
        }
      }
      if (rows > 0) {
        train.copyRows(slice, 0, rows, x, y);
        sum.add(rows, model.lossAndGradient(x, y, rows), grads);
      }
    }
    sum.meanGradient(grads);
    return update(epoch, index, sum.loss());
  }

  /** Applies the update for a minibatch whose loss and gradient are computed; returns the loss. */
  private float update(int epoch, int index, float loss) {
    float lr = schedule.stepSize(optimizer.learningRate(), epoch, iteration);
    if (!finite(loss, lr, epoch, index)) {
      return loss;
    }
    addToAverage(lr);
    iteration++;
    optimizer.step(params, grads, lr);
    stepSize = lr;
    return loss;
  }

  /** Adds the point the next update starts from, with its step size, to the average. */
  private void addToAverage(float lr) {
    if (average != null) {
      average.add(params, lr, iteration);
    }
  }

  /**
   * Checks the minibatch loss and, when clipping, clips the gradient and checks its norm; records
   * the divergence and returns false when either is not finite.
   */
  private boolean finite(float loss, float lr, int epoch, int index) {
    double norm = clipNorm > 0 && Float.isFinite(loss) ? GradientClipping.clip(grads, clipNorm) : 0;
    divergence = Divergence.ofUpdate(loss, norm, epoch + 1, index, updatesPerEpoch(), lr);
    return divergence == null;
  }

  /**
   * Computes the mean loss and the gradient norm over the whole training set, in chunks whose
   * mean gradients are summed weighted by their row counts (this overwrites the model's
   * gradient buffer). Returns false, with {@link #divergence()} set, when either is not finite.
   */
  boolean evaluateTraining() {
    // Evaluations see the model as a user would: dropout off, running statistics.
    model.setTraining(false);
    Arrays.fill(gradientSum, 0);
    double lossSum = 0;
    for (int start = 0; start < n; start += chunk) {
      int count = Math.min(chunk, n - start);
      train.copyRows(start, count, x, y);
      lossSum += (double) model.lossAndGradient(x, y, count) * count;
      for (int i = 0; i < grads.length; i++) {
        gradientSum[i] += (double) grads[i] * count;
      }
    }
    double squares = 0;
    for (double g : gradientSum) {
      squares += (g / n) * (g / n);
    }
    trainLoss = lossSum / n;
    gradientNorm = Math.sqrt(squares);
    divergence = Divergence.afterEpoch(trainLoss, gradientNorm, epoch + 1, updatesPerEpoch(),
        stepSize);
    return divergence == null;
  }

  /** Loss and task metrics of the model on {@code data}, in chunks (allocates only the result). */
  Metrics metrics(Dataset data) {
    model.setTraining(false);
    return Metrics.measure(model, data, chunk, x, y, predictions);
  }
}
