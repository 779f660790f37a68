package dev.annonet.processor.codegen;

/**
 * A work buffer of the generated model: {@code size} floats (or ints) per sample, grown with the
 * batch, or a fixed {@code size} when not {@code perSample}; {@code persistent} buffers hold
 * state (running statistics) that a copy of the model must carry.
 */
record Buffer(String name, String doc, int size, boolean perSample, boolean ints,
    boolean persistent) {

  static Buffer perSample(String name, String doc, int size) {
    return new Buffer(name, doc, size, true, false, false);
  }

  static Buffer fixed(String name, String doc, int size) {
    return new Buffer(name, doc, size, false, false, false);
  }
}
