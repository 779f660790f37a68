package dev.annonet.processor.model;

/** The loss annotations on a network class. */
public enum LossKind {
  SQUARED_ERROR("SquaredError"),
  HALF_SQUARED_ERROR("HalfSquaredError"),
  ABSOLUTE_ERROR("AbsoluteError"),
  HUBER("Huber"),
  BINARY_CROSS_ENTROPY("BinaryCrossEntropy"),
  SOFTMAX_CROSS_ENTROPY("SoftmaxCrossEntropy"),
  RESIDUAL("ResidualLoss");

  private final String annotation;

  LossKind(String annotation) {
    this.annotation = annotation;
  }

  /** The annotation's simple name. */
  public String annotation() {
    return annotation;
  }

  /** The runtime {@code Task} constant: what outputs and targets mean under this loss. */
  public String task() {
    return switch (this) {
      case BINARY_CROSS_ENTROPY -> "BINARY";
      case SOFTMAX_CROSS_ENTROPY -> "MULTICLASS";
      default -> "REGRESSION";
    };
  }

  /** The kind for an annotation's qualified name, or null if it is not a loss. */
  public static LossKind forAnnotation(String qualifiedName) {
    for (LossKind kind : values()) {
      if (qualifiedName.equals(Names.NN + kind.annotation)) {
        return kind;
      }
    }
    return null;
  }
}
