package dev.annonet.processor.model;

/** {@code @Flatten}: an image {@code [c][h][w]} read as a vector; no parameters, no work. */
public record FlattenNode(String name, Origin origin) implements LayerNode {

  @Override
  public String kind() {
    return "Flatten";
  }

  @Override
  public Activation activation() {
    return Activation.none(origin);
  }
}
