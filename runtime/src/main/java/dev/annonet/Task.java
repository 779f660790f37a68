package dev.annonet;

/** What a network's outputs mean; decided by its loss annotation. */
public enum Task {
  /** Real-valued outputs; targets have {@code outputSize()} floats. */
  REGRESSION,
  /** One logit (sigmoid fused into the loss); targets are 0 or 1. */
  BINARY,
  /** One logit per class (softmax fused into the loss); the target is a class index. */
  MULTICLASS
}
