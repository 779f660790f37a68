package dev.annonet.processor.model;

/** A layer's activation: its kind, LeakyRelu's slope, and where it was declared. */
public record Activation(ActivationKind kind, float alpha, Origin origin) {

  public static Activation none(Origin origin) {
    return new Activation(ActivationKind.IDENTITY, 0f, origin);
  }

  public boolean isNone() {
    return kind == ActivationKind.IDENTITY;
  }

  /** How the activation reads in messages and comments: {@code @Relu}, or empty. */
  public String display() {
    return isNone() ? "" : "@" + kind.annotation();
  }
}
