package dev.annonet.processor.model;

/**
 * {@code @BatchNorm(momentum, eps)}: statistics per channel over the batch in training mode,
 * running statistics in inference mode.
 */
public record BatchNormNode(
    String name, float momentum, float eps, Activation activation, Origin origin)
    implements NormNode {

  @Override
  public String kind() {
    return "BatchNorm";
  }
}
