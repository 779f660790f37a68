package dev.annonet.processor.layers;

import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;

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

  /** Reads {@code @Flatten}: no settings, no activation. */
  static FlattenNode read(LayerReading r) {
    r.noActivation("Flatten");
    return new FlattenNode(r.name(), r.origin());
  }

  @Override
  public boolean hasParameters() {
    return false;
  }
}
