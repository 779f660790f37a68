package dev.annonet.processor.model;

/** {@code @Input(shape)}: a vector {@code [n]} or an image {@code [c, h, w]}. */
public record InputNode(String name, int[] shape, Origin origin) implements LayerNode {

  @Override
  public String kind() {
    return "Input";
  }

  @Override
  public Activation activation() {
    return Activation.none(origin);
  }
}
