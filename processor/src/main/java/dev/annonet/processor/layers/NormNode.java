package dev.annonet.processor.layers;

import dev.annonet.processor.Message;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;

/** {@code @BatchNorm} or {@code @LayerNorm}: normalisation with a learnt scale and shift. */
public sealed interface NormNode extends LayerNode permits BatchNormNode, LayerNormNode {

  /** Added to the variance before the square root. */
  float eps();

  /** Reads {@code eps} of {@code @BatchNorm} or {@code @LayerNorm} ({@code kind}): positive. */
  static float readEps(LayerReading r, String kind) {
    double eps = r.settings().doubleValue("eps");
    String bad = LayerReading.rejected(eps, e -> e > 0 && !Double.isInfinite(e));
    if (bad != null) {
      r.error(r.origin().at("eps"), Message.NORM_SETTING, kind, r.name(), "eps", "positive", bad);
    }
    return (float) eps;
  }

  @Override
  default boolean hasParameters() {
    return true;
  }

  /** Any shape, unchanged. */
  @Override
  default Shape outputShape(ShapeContext c) {
    return c.in();
  }
}
