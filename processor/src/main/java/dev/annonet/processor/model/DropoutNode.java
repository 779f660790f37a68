package dev.annonet.processor.model;

/** {@code @Dropout(p)}: inverted dropout, active in training mode only. */
public record DropoutNode(String name, float p, Origin origin) implements LayerNode {

  @Override
  public String kind() {
    return "Dropout";
  }

  @Override
  public Activation activation() {
    return Activation.none(origin);
  }
}
