package dev.annonet.processor.model;

import java.util.List;

/** {@code @Concat(from = ...)}: outputs joined per sample, images along their channels. */
public record ConcatNode(String name, List<String> from, Activation activation, Origin origin)
    implements MergeNode {

  @Override
  public String kind() {
    return "Concat";
  }
}
