package dev.annonet.processor.model;

/** A layer's activation: its kind, LeakyRelu's slope, and where it was declared. */
public record Activation(ActivationKind kind, float alpha, Origin origin) {

  public static Activation none(Origin origin) {
    return new Activation(ActivationKind.IDENTITY, 0f, origin);
  }

  public boolean isNone() {
    return kind == ActivationKind.IDENTITY;
  }

  /**
   * The part of the activation the kernels fuse where the layer's output is computed, and whose
   * derivative its readers fuse into their backward: this one, or none for an activation the
   * layer applies and differentiates itself ({@link ActivationKind#keepsInput}).
   */
  public Activation fused() {
    return kind.keepsInput() ? none(origin) : this;
  }

  /** How the activation reads in messages and comments: {@code @Relu}, or empty. */
  public String display() {
    if (kind == ActivationKind.GELU_TANH) {
      return "@Gelu(approximate = \"tanh\")";
    }
    return isNone() ? "" : "@" + kind.annotation();
  }
}
