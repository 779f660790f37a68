package dev.annonet.processor.codegen;

/**
 * A work buffer of the generated model: {@code size} floats (or ints) per sample, grown with the
 * batch, or a fixed {@code size} when not {@code perSample}; buffers with a {@code stateName}
 * hold state (running statistics) that copies and model files carry.
 */
public record Buffer(String name, String doc, int size, boolean perSample, boolean ints,
    String stateName) {

  public static Buffer perSample(String name, String doc, int size) {
    return new Buffer(name, doc, size, true, false, null);
  }

  public static Buffer fixed(String name, String doc, int size) {
    return new Buffer(name, doc, size, false, false, null);
  }

  /** A fixed buffer that is part of the model's state, named as in PyTorch's state_dict. */
  public static Buffer state(String name, String doc, int size, String stateName) {
    return new Buffer(name, doc, size, false, false, stateName);
  }

  boolean persistent() {
    return stateName != null;
  }
}
