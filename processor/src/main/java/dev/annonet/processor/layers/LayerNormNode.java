package dev.annonet.processor.layers;

import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;

/** {@code @LayerNorm(eps)}: statistics per sample. */
public record LayerNormNode(String name, float eps, Activation activation, Origin origin)
    implements NormNode {

  @Override
  public String kind() {
    return "LayerNorm";
  }

  /** Reads {@code @LayerNorm(eps)}: eps positive. */
  static LayerNormNode read(LayerReading r) {
    return new LayerNormNode(
        r.name(), NormNode.readEps(r, "LayerNorm"), r.activation(), r.origin());
  }
}
