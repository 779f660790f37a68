package dev.annonet.processor.model;

/** {@code @LayerNorm(eps)}: statistics per sample. */
public record LayerNormNode(String name, float eps, Activation activation, Origin origin)
    implements NormNode {

  @Override
  public String kind() {
    return "LayerNorm";
  }
}
