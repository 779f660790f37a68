package dev.annonet.bench;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.optim.Optimizer;
import java.util.SplittableRandom;

/**
 * The minibatch updates of {@code Trainer.fit}, one at a time, without its per-epoch
 * evaluations: each epoch reshuffles the order (Fisher-Yates from the seed, as the trainer's
 * run does), then every update gathers its rows into the batch buffers
 * ({@link Dataset#copyRows(int[], int, int, float[], float[])}), runs the forward and backward
 * pass ({@link Model#lossAndGradient}) and the optimizer step. With the same model, optimizer,
 * data, batch size and seed it applies the same updates as the trainer with a constant
 * schedule (the smoke test checks that the parameters come out bit-identical), and like it
 * allocates nothing per update.
 */
public final class TrainingLoop {

  private final Model model;
  private final Optimizer optimizer;
  private final Dataset data;
  private final int batch;
  private final int n;
  private final float lr;
  private final float[] params;
  private final float[] grads;
  private final float[] x;
  private final float[] y;
  private final int[] order;
  private final SplittableRandom random;
  private int position;

  /**
   * A loop training {@code model} on {@code data} with batches of {@code batch} rows (the last
   * batch of an epoch may be shorter), shuffling from {@code seed}.
   */
  public TrainingLoop(Model model, Optimizer optimizer, Dataset data, int batch, long seed) {
    this.model = model;
    this.optimizer = optimizer;
    this.data = data;
    this.n = data.size();
    this.batch = Math.min(batch, n);
    this.lr = optimizer.learningRate();
    model.reserve(this.batch);
    this.params = model.parameters();
    this.grads = model.gradients();
    this.x = new float[this.batch * model.inputSize()];
    this.y = new float[this.batch * model.targetSize()];
    this.order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    this.random = new SplittableRandom(seed);
    this.position = n;
    model.setTraining(true);
  }

  /** The model being trained. */
  public Model model() {
    return model;
  }

  /** Samples per epoch. */
  public int samples() {
    return n;
  }

  /** Samples per full update. */
  public int batch() {
    return batch;
  }

  /**
   * One update on the next batch of the current epoch, starting a new (reshuffled) epoch when
   * the previous one is used up; returns the batch's loss before the update.
   */
  public float step() {
    return step(null);
  }

  /**
   * {@link #step()}; when {@code times} is not null, adds the nanoseconds of the forward and
   * backward pass to {@code times[2]} and of the optimizer's update to {@code times[3]}
   * ({@link StepProfile}).
   */
  float step(long[] times) {
    if (position >= n) {
      shuffle();
      position = 0;
    }
    int count = Math.min(batch, n - position);
    data.copyRows(order, position, count, x, y);
    position += count;
    long t0 = times == null ? 0 : System.nanoTime();
    float loss = model.lossAndGradient(x, y, count);
    long t1 = times == null ? 0 : System.nanoTime();
    optimizer.step(params, grads, lr);
    if (times != null) {
      times[2] += t1 - t0;
      times[3] += System.nanoTime() - t1;
    }
    return loss;
  }

  /** The updates of one whole epoch; returns the mean batch loss. */
  public double epoch() {
    position = n;
    double sum = 0;
    int steps = 0;
    do {
      sum += step();
      steps++;
    } while (position < n);
    return sum / steps;
  }

  private void shuffle() {
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }
}
