package dev.annonet.processor.layers;

import java.util.List;

/**
 * {@code @Add(from = ...)} or {@code @Concat(from = ...)}: the previous layer's output combined
 * with the outputs of earlier layers named in {@code from}.
 */
public sealed interface MergeNode extends LayerNode permits AddNode, ConcatNode {

  /** The earlier layers named, in order. */
  List<String> from();

  @Override
  default boolean hasParameters() {
    return false;
  }
}
