package dev.annonet.spark;

import dev.annonet.LayerInfo;
import dev.annonet.Model;
import dev.annonet.Task;
import dev.annonet.examples.digits.DigitsModel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;

/**
 * The digits network, whose forward-backward pass throws once, on the first attempt of a task
 * on partition 1, after a set number of passes there: a task that fails once and is retried.
 * Executors share the test's JVM on a local master, so the counters are plain statics.
 */
final class FailingModel implements Model {

  private static final AtomicInteger COUNTDOWN = new AtomicInteger(-1);
  private static final AtomicInteger FAILURES = new AtomicInteger();

  private final DigitsModel model;

  FailingModel(long seed) {
    this.model = new DigitsModel(seed);
  }

  /** Fails the {@code passes}-th pass on partition 1 (counting from 1), once. */
  static void failAfter(int passes) {
    FAILURES.set(0);
    COUNTDOWN.set(passes);
  }

  /** Failures thrown since {@link #failAfter}. */
  static int failures() {
    return FAILURES.get();
  }

  @Override
  public float lossAndGradient(float[] x, float[] y, int batch) {
    TaskContext task = TaskContext.get();
    if (task != null && task.partitionId() == 1 && task.attemptNumber() == 0
        && COUNTDOWN.get() > 0 && COUNTDOWN.decrementAndGet() == 0) {
      FAILURES.incrementAndGet();
      throw new IllegalStateException("injected task failure");
    }
    return model.lossAndGradient(x, y, batch);
  }

  @Override
  public String name() {
    return model.name();
  }

  @Override
  public int inputSize() {
    return model.inputSize();
  }

  @Override
  public int outputSize() {
    return model.outputSize();
  }

  @Override
  public int targetSize() {
    return model.targetSize();
  }

  @Override
  public Task task() {
    return model.task();
  }

  @Override
  public List<LayerInfo> layers() {
    return model.layers();
  }

  @Override
  public float[] parameters() {
    return model.parameters();
  }

  @Override
  public float[] gradients() {
    return model.gradients();
  }

  @Override
  public Map<String, float[]> buffers() {
    return model.buffers();
  }

  @Override
  public void initialize(long seed) {
    model.initialize(seed);
  }

  @Override
  public void setTraining(boolean training) {
    model.setTraining(training);
  }

  @Override
  public boolean isTraining() {
    return model.isTraining();
  }

  @Override
  public void reserve(int batch) {
    model.reserve(batch);
  }

  @Override
  public float loss(float[] x, float[] y, int batch) {
    return model.loss(x, y, batch);
  }

  @Override
  public void predict(float[] x, int batch, float[] out) {
    model.predict(x, batch, out);
  }

  @Override
  public Model copy() {
    throw new UnsupportedOperationException("not needed by the tests");
  }
}
