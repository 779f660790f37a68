package dev.annonet.processor.layers;

import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;

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

  /** PyTorch's LayerNorm over the whole sample: weight and bias shaped as one sample. */
  @Override
  public ParameterLayout parameters(Shape in) {
    return ParameterLayout.of(name, new int[] {in.size()}, new int[] {in.size()});
  }
}
