package dev.annonet.processor.layers;

import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import java.util.List;

/** {@code @Concat(from = ...)}: outputs joined per sample, images along their channels. */
public record ConcatNode(String name, List<String> from, Activation activation, Origin origin)
    implements MergeNode {

  @Override
  public String kind() {
    return "Concat";
  }

  /** Reads {@code @Concat(from = ...)}; the names are checked with the shapes. */
  static ConcatNode read(LayerReading r) {
    return new ConcatNode(r.name(), r.settings().strings("from"), r.activation(), r.origin());
  }
}
