package dev.annonet.processor.model;

/** {@code @Dense(units)}: a fully connected layer. */
public record DenseNode(String name, int units, Activation activation, Origin origin)
    implements LayerNode {

  @Override
  public String kind() {
    return "Dense";
  }
}
