package dev.annonet.processor.layers;

import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import java.util.List;

/** {@code @Add(from = ...)}: a residual sum of outputs of the same shape. */
public record AddNode(String name, List<String> from, Activation activation, Origin origin)
    implements MergeNode {

  @Override
  public String kind() {
    return "Add";
  }

  /** Reads {@code @Add(from = ...)}; the names are checked with the shapes. */
  static AddNode read(LayerReading r) {
    return new AddNode(r.name(), r.settings().strings("from"), r.activation(), r.origin());
  }
}
