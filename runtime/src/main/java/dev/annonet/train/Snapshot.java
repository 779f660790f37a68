package dev.annonet.train;

import dev.annonet.Model;
import dev.annonet.io.SafeTensors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A copy of a model's parameters and state buffers (batch normalisation's running statistics),
 * sized once so that {@link #capture} and {@link #restore} allocate nothing.
 *
 * <p>The live buffer arrays are looked up once, in the constructor: state buffers have a fixed
 * size and are never replaced by the model.
 */
final class Snapshot {

  private final Model model;
  private final float[] parameters;
  private final float[][] buffers;
  private final float[] savedParameters;
  private final float[][] savedBuffers;
  /** The saved buffers by the model's names for them, for checkpoints. */
  private final Map<String, float[]> saved = new LinkedHashMap<>();
  private int epoch = -1;

  Snapshot(Model model) {
    this.model = model;
    this.parameters = model.parameters();
    Map<String, float[]> live = model.buffers();
    this.buffers = new float[live.size()][];
    this.savedParameters = new float[parameters.length];
    this.savedBuffers = new float[buffers.length][];
    int i = 0;
    for (Map.Entry<String, float[]> buffer : live.entrySet()) {
      buffers[i] = buffer.getValue();
      savedBuffers[i] = new float[buffers[i].length];
      saved.put(buffer.getKey(), savedBuffers[i]);
      i++;
    }
  }

  /** Copies the model's current parameters and buffers, as they are after {@code epoch}. */
  void capture(int epoch) {
    System.arraycopy(parameters, 0, savedParameters, 0, parameters.length);
    for (int i = 0; i < buffers.length; i++) {
      System.arraycopy(buffers[i], 0, savedBuffers[i], 0, buffers[i].length);
    }
    this.epoch = epoch;
  }

  /** Writes the captured parameters and buffers back into the model. */
  void restore() {
    if (epoch < 0) {
      throw new IllegalStateException("nothing captured to restore");
    }
    System.arraycopy(savedParameters, 0, parameters, 0, parameters.length);
    for (int i = 0; i < buffers.length; i++) {
      System.arraycopy(savedBuffers[i], 0, buffers[i], 0, buffers[i].length);
    }
  }

  /** The epoch (1-based, 0 for the parameters before training) captured, or -1 for none. */
  int epoch() {
    return epoch;
  }

  /** Copies of the captured parameters and buffers by PyTorch name, for a checkpoint. */
  Map<String, SafeTensors.Tensor> tensors() {
    if (epoch < 0) {
      throw new IllegalStateException("nothing captured to save");
    }
    return Checkpoint.tensors(model, savedParameters, saved);
  }

  /**
   * Takes {@code tensors} (by PyTorch name, from a checkpoint that fits the model) as the copy
   * captured after {@code epoch}.
   */
  void load(Map<String, SafeTensors.Tensor> tensors, int epoch) {
    Checkpoint.copy(tensors, model, savedParameters, saved);
    this.epoch = epoch;
  }
}
