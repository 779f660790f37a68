package dev.annonet.processor.model;

import dev.annonet.processor.layers.LayerNode;
import java.util.List;

/** A {@code @Network} class as read: its names, its layers in order and its loss. */
public record NetworkModel(
    String packageName, String simpleName, List<LayerNode> layers, LossSpec loss, Origin origin) {

  /** The qualified name of the user's class as generated code refers to it. */
  public String generatedName() {
    return simpleName + "Model";
  }
}
