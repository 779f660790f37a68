package dev.annonet.processor.model;

/** The activation annotations, each with the runtime {@code Activation} constant it maps to. */
public enum ActivationKind {
  IDENTITY("", "IDENTITY"),
  RELU("Relu", "RELU"),
  LEAKY_RELU("LeakyRelu", "LEAKY_RELU"),
  SIGMOID("Sigmoid", "SIGMOID"),
  TANH("Tanh", "TANH"),
  /** {@code @Gelu}, the exact form. */
  GELU("Gelu", "GELU"),
  /** {@code @Gelu(approximate = "tanh")}; read as GELU, then narrowed by its setting. */
  GELU_TANH("Gelu", "GELU_TANH"),
  /** Not elementwise: applied to the whole output row; only on the output layer. */
  SOFTMAX("Softmax", "IDENTITY");

  private final String annotation;
  private final String runtimeConstant;

  ActivationKind(String annotation, String runtimeConstant) {
    this.annotation = annotation;
    this.runtimeConstant = runtimeConstant;
  }

  /** The annotation's simple name, e.g. {@code Relu}; empty for {@link #IDENTITY}. */
  public String annotation() {
    return annotation;
  }

  /** The {@code dev.annonet.kernels.Activation} constant the kernels apply elementwise. */
  public String runtimeConstant() {
    return runtimeConstant;
  }

  /** Whether He initialisation suits the layer (the ReLU family); Glorot otherwise. */
  public boolean reluFamily() {
    return this == RELU || this == LEAKY_RELU;
  }

  /**
   * Whether the derivative needs the activation's input, not its output (GELU, which is not
   * invertible): the layer keeps its pre-activation and applies the derivative itself, so the
   * kernels around it see no activation.
   */
  public boolean keepsInput() {
    return this == GELU || this == GELU_TANH;
  }

  /** The kind for an annotation's qualified name, or null if it is not an activation. */
  public static ActivationKind forAnnotation(String qualifiedName) {
    if (!qualifiedName.startsWith(Names.NN)) {
      return null;
    }
    String simple = qualifiedName.substring(Names.NN.length());
    for (ActivationKind kind : values()) {
      if (kind != IDENTITY && kind.annotation.equals(simple)) {
        return kind;
      }
    }
    return null;
  }
}
