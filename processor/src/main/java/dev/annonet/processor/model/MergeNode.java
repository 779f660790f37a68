package dev.annonet.processor.model;

import java.util.List;

/**
 * {@code @Add(from = ...)} or {@code @Concat(from = ...)}: the previous layer's output combined
 * with the outputs of earlier layers named in {@code from}.
 */
public record MergeNode(
    String name, boolean add, List<String> from, Activation activation, Origin origin)
    implements LayerNode {

  @Override
  public String kind() {
    return add ? "Add" : "Concat";
  }
}
