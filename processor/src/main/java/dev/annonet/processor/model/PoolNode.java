package dev.annonet.processor.model;

/** {@code @MaxPool(size, stride)} or {@code @AvgPool(size, stride)}: pooling per channel. */
public record PoolNode(String name, boolean max, int size, int stride, Origin origin)
    implements LayerNode {

  @Override
  public String kind() {
    return max ? "MaxPool" : "AvgPool";
  }

  @Override
  public Activation activation() {
    return Activation.none(origin);
  }
}
