package dev.annonet.processor.model;

/**
 * {@code @BatchNorm(momentum, eps)} (statistics per channel over the batch) or
 * {@code @LayerNorm(eps)} (statistics per sample).
 */
public record NormNode(
    String name, boolean batch, float momentum, float eps, Activation activation, Origin origin)
    implements LayerNode {

  @Override
  public String kind() {
    return batch ? "BatchNorm" : "LayerNorm";
  }
}
