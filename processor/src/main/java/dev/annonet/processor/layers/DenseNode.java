package dev.annonet.processor.layers;

import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;

/** {@code @Dense(units)}: a fully connected layer. */
public record DenseNode(String name, int units, Activation activation, Origin origin)
    implements LayerNode {

  @Override
  public String kind() {
    return "Dense";
  }

  /** Reads {@code @Dense(units)}: a positive number of units. */
  static DenseNode read(LayerReading r) {
    int units = r.settings().intValue("value");
    r.positive(r.origin().atValue(), "@Dense", units, "@Dense(10)");
    return new DenseNode(r.name(), units, r.activation(), r.origin());
  }

  @Override
  public boolean hasParameters() {
    return true;
  }
}
