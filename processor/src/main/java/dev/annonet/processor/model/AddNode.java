package dev.annonet.processor.model;

import java.util.List;

/** {@code @Add(from = ...)}: a residual sum of outputs of the same shape. */
public record AddNode(String name, List<String> from, Activation activation, Origin origin)
    implements MergeNode {

  @Override
  public String kind() {
    return "Add";
  }
}
