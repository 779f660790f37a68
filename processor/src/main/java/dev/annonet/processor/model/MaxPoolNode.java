package dev.annonet.processor.model;

/** {@code @MaxPool(size, stride)}: the largest value of each window, per channel. */
public record MaxPoolNode(String name, int size, int stride, Origin origin) implements PoolNode {

  @Override
  public String kind() {
    return "MaxPool";
  }
}
