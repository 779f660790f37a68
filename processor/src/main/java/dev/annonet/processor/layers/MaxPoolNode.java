package dev.annonet.processor.layers;

import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;

/** {@code @MaxPool(size, stride)}: the largest value of each window, per channel. */
public record MaxPoolNode(String name, int size, int stride, Origin origin) implements PoolNode {

  @Override
  public String kind() {
    return "MaxPool";
  }

  /** Reads {@code @MaxPool(size, stride)}. */
  static MaxPoolNode read(LayerReading r) {
    int[] window = PoolNode.readWindow(r, "MaxPool");
    return new MaxPoolNode(r.name(), window[0], window[1], r.origin());
  }
}
