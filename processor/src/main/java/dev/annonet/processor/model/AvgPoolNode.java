package dev.annonet.processor.model;

/** {@code @AvgPool(size, stride)}: the mean of each window, per channel. */
public record AvgPoolNode(String name, int size, int stride, Origin origin) implements PoolNode {

  @Override
  public String kind() {
    return "AvgPool";
  }
}
