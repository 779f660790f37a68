package dev.annonet.processor.layers;

import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;

/** {@code @MaxPool(size, stride)} or {@code @AvgPool(size, stride)}: pooling per channel. */
public sealed interface PoolNode extends LayerNode permits MaxPoolNode, AvgPoolNode {

  /** Height and width of the window. */
  int size();

  /** Step between windows (the window size when the annotation leaves it 0). */
  int stride();

  @Override
  default Activation activation() {
    return Activation.none(origin());
  }

  /**
   * Reads {@code @MaxPool} or {@code @AvgPool} ({@code kind}): no activation, a positive window
   * size and a stride of 0 (the window size) or more. Returns the size and the stride.
   */
  static int[] readWindow(LayerReading r, String kind) {
    r.noActivation(kind);
    int size = r.settings().intValue("value");
    int stride = r.settings().intValue("stride");
    r.positive(r.origin().atValue(), "@" + kind, size, "@" + kind + "(2)");
    if (stride < 0) {
      r.positive(r.origin().at("stride"), "@" + kind + " stride of", stride, "stride = 2");
    }
    return new int[] {size, stride == 0 ? size : stride};
  }

  @Override
  default boolean hasParameters() {
    return false;
  }

  /** Takes an image that its window tiles; outputs the same channels, each pooled. */
  @Override
  default Shape outputShape(ShapeContext c) {
    if (size() <= 0 || stride() <= 0 || !c.imageInput(this)) {
      return null;
    }
    int[] hw = c.windows(this, size(), stride(), 0);
    return hw == null ? null : new Shape(new int[] {c.in().dims()[0], hw[0], hw[1]});
  }

  @Override
  default ParameterLayout parameters(Shape in) {
    return ParameterLayout.NONE;
  }
}
