package dev.annonet;

import java.util.List;

/**
 * A network with its parameters, implemented by every generated {@code <Name>Model}.
 *
 * <p>Data are passed as flat row-major arrays: {@code x} holds {@code batch} samples of
 * {@link #inputSize()} floats, {@code y} holds {@code batch} targets of {@link #targetSize()}
 * floats (a class index stored as a float for {@link Task#MULTICLASS}). Parameters and
 * gradients live in one flat buffer each, layers in declaration order, each layer laid out as
 * PyTorch lays it out (Linear: weight {@code [out][in]} then bias {@code [out]}), so that an
 * optimizer is a single loop over {@link #parameters()}.
 *
 * <p>Buffers grow to the largest batch seen and are then reused: after the first call with a
 * given batch size, {@link #lossAndGradient} and {@link #loss} allocate nothing. A model is not
 * thread-safe; use one per thread (see {@link #copy()}).
 */
public interface Model {

  /** The network's name, the simple name of the annotated class. */
  String name();

  /** Floats per input sample. */
  int inputSize();

  /** Output units (logits for the cross-entropy losses). */
  int outputSize();

  /**
   * Floats per target: 1 (a class index) for {@link Task#MULTICLASS}, one per position for a
   * per-position classifier ({@link #steps()}), else the outputs.
   */
  int targetSize();

  /**
   * Positions classified on their own: T for a {@link Task#MULTICLASS} network whose output is a
   * sequence {@code [T][classes]} (a class index per position, {@code outputSize() / steps()}
   * classes), else 1 (the default).
   */
  default int steps() {
    return 1;
  }

  /**
   * The token ids the input takes, V, for a network whose input is {@code @TokenInput}: each
   * input float must be a whole number in {@code [0, V)}; 0 (the default) for real inputs.
   */
  default int vocabulary() {
    return 0;
  }

  /** What the outputs mean, which decides the targets' form and the metrics. */
  Task task();

  /** The layers in order, with their shapes and parameter offsets. */
  List<LayerInfo> layers();

  /** The flat parameter buffer (live: writes change the model). */
  float[] parameters();

  /**
   * The flat gradient buffer, same layout as {@link #parameters()}, holding the gradient of the
   * mean batch loss after {@link #lossAndGradient}.
   */
  float[] gradients();

  /**
   * State that is not a parameter but belongs to a trained model, by PyTorch's name (a batch
   * norm's {@code bn.running_mean} and {@code bn.running_var}); live arrays. Empty by default.
   */
  default java.util.Map<String, float[]> buffers() {
    return java.util.Map.of();
  }

  /**
   * The state of the model's random streams (a dropout mask generator's state), for
   * checkpoints: with {@link #setRandomState} a model continues drawing exactly the values it
   * would have drawn. Empty for models without randomness (the default).
   */
  default long[] randomState() {
    return new long[0];
  }

  /**
   * Restores the random streams from a value {@link #randomState()} returned.
   *
   * @throws IllegalArgumentException if {@code state} does not have the length
   *     {@link #randomState()} has
   */
  default void setRandomState(long[] state) {
    if (state == null || state.length != 0) {
      throw new IllegalArgumentException(name() + " has no random state but was given "
          + (state == null ? "null" : state.length + " value(s)")
          + ": the state comes from another network");
    }
  }

  /**
   * Multiply-adds per sample of the forward pass (a generated model's {@code MULTIPLY_ADDS}); 0
   * when the model does not say (the default). A training step takes about three times this per
   * sample: forward, the parameters' gradient and the inputs' gradient.
   */
  default long multiplyAdds() {
    return 0;
  }

  /** Number of parameters, {@code parameters().length}. */
  default int parameterCount() {
    return parameters().length;
  }

  /**
   * Re-initialises every parameter from {@code seed}: He-uniform for layers followed by a
   * ReLU-family activation, Glorot-uniform otherwise, biases zero.
   */
  void initialize(long seed);

  /**
   * Switches between training mode (dropout active, batch normalisation on batch statistics;
   * the default) and inference mode (dropout off, running statistics), as PyTorch's
   * {@code train()} and {@code eval()}.
   */
  void setTraining(boolean training);

  /** Whether the model is in training mode. */
  boolean isTraining();

  /** Sizes the work buffers for batches of up to {@code batch} samples (allocates at most once). */
  void reserve(int batch);

  /**
   * Forward and backward pass: returns the mean loss over the batch and writes its gradient with
   * respect to every parameter into {@link #gradients()} (overwriting it).
   */
  float lossAndGradient(float[] x, float[] y, int batch);

  /** Forward pass only: the mean loss over the batch. */
  float loss(float[] x, float[] y, int batch);

  /**
   * Predictions for {@code batch} samples into {@code out} ({@code batch * outputSize()} floats):
   * probabilities for the cross-entropy losses (softmax or sigmoid applied), the outputs
   * otherwise.
   */
  void predict(float[] x, int batch, float[] out);

  /** The prediction for one sample (allocates the result). */
  default float[] predict(float[] sample) {
    if (sample.length != inputSize()) {
      throw new IllegalArgumentException(
          name() + " takes " + inputSize() + " inputs per sample, got " + sample.length);
    }
    float[] out = new float[outputSize()];
    predict(sample, 1, out);
    return out;
  }

  /** An independent model with the same architecture and a copy of the parameters. */
  Model copy();
}
