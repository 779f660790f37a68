package dev.annonet.processor.layers;

import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;

/** {@code @AvgPool(size, stride)}: the mean of each window, per channel. */
public record AvgPoolNode(String name, int size, int stride, Origin origin) implements PoolNode {

  @Override
  public String kind() {
    return "AvgPool";
  }

  /** Reads {@code @AvgPool(size, stride)}. */
  static AvgPoolNode read(LayerReading r) {
    int[] window = PoolNode.readWindow(r, "AvgPool");
    return new AvgPoolNode(r.name(), window[0], window[1], r.origin());
  }
}
