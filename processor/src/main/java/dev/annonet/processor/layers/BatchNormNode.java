package dev.annonet.processor.layers;

import dev.annonet.processor.Message;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;

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

  /** Reads {@code @BatchNorm(momentum, eps)}: momentum in (0, 1], eps positive. */
  static BatchNormNode read(LayerReading r) {
    double momentum = r.settings().doubleValue("momentum");
    String bad = LayerReading.rejected(momentum, m -> m > 0 && m <= 1);
    if (bad != null) {
      r.error(r.origin().at("momentum"), Message.NORM_SETTING, "BatchNorm", r.name(), "momentum",
          "in (0, 1]", bad);
    }
    float eps = NormNode.readEps(r, "BatchNorm");
    return new BatchNormNode(r.name(), (float) momentum, eps, r.activation(), r.origin());
  }

  /** PyTorch's BatchNorm: weight (scale) and bias (shift) {@code [channels]}. */
  @Override
  public ParameterLayout parameters(Shape in) {
    int channels = in.dims()[0];
    return ParameterLayout.of(name, new int[] {channels}, new int[] {channels});
  }
}
