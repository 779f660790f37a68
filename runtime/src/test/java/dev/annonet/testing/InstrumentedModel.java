package dev.annonet.testing;

import dev.annonet.LayerInfo;
import dev.annonet.Model;
import dev.annonet.Task;
import java.util.List;
import java.util.Map;

/**
 * Wraps a model and adds a state buffer, {@code steps}, counting the forward and backward passes
 * made in training mode (as a batch norm's running statistics change only in training mode);
 * can also write a NaN into the gradient on one chosen training pass.
 */
public final class InstrumentedModel implements Model {

  private final Model inner;
  private final float[] steps = new float[1];
  private long poisonedPass = -1;

  public InstrumentedModel(Model inner) {
    this.inner = inner;
  }

  /** Writes NaN into the first gradient entry on training pass number {@code pass} (from 1). */
  public InstrumentedModel poisonGradientOnPass(long pass) {
    this.poisonedPass = pass;
    return this;
  }

  /** The training passes counted so far (the buffer's value). */
  public float passes() {
    return steps[0];
  }

  @Override
  public Map<String, float[]> buffers() {
    return Map.of("steps", steps);
  }

  @Override
  public float lossAndGradient(float[] x, float[] y, int batch) {
    float loss = inner.lossAndGradient(x, y, batch);
    if (inner.isTraining()) {
      steps[0]++;
      if (steps[0] == poisonedPass) {
        inner.gradients()[0] = Float.NaN;
      }
    }
    return loss;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public int inputSize() {
    return inner.inputSize();
  }

  @Override
  public int outputSize() {
    return inner.outputSize();
  }

  @Override
  public int targetSize() {
    return inner.targetSize();
  }

  @Override
  public Task task() {
    return inner.task();
  }

  @Override
  public List<LayerInfo> layers() {
    return inner.layers();
  }

  @Override
  public float[] parameters() {
    return inner.parameters();
  }

  @Override
  public float[] gradients() {
    return inner.gradients();
  }

  @Override
  public void initialize(long seed) {
    inner.initialize(seed);
  }

  @Override
  public void setTraining(boolean training) {
    inner.setTraining(training);
  }

  @Override
  public boolean isTraining() {
    return inner.isTraining();
  }

  @Override
  public void reserve(int batch) {
    inner.reserve(batch);
  }

  @Override
  public float loss(float[] x, float[] y, int batch) {
    return inner.loss(x, y, batch);
  }

  @Override
  public void predict(float[] x, int batch, float[] out) {
    inner.predict(x, batch, out);
  }

  @Override
  public Model copy() {
    InstrumentedModel copy = new InstrumentedModel(inner.copy());
    copy.steps[0] = steps[0];
    return copy;
  }
}
