package dev.annonet.processor.layers;

import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.Origin;

/**
 * One layer of a network as read from its field: plain sizes and enums, plus the {@link Origin}
 * for diagnostics. Sealed, so that shape rules and emitters switch over every kind.
 */
public sealed interface LayerNode
    permits InputNode,
        DenseNode,
        FlattenNode,
        Conv2dNode,
        PoolNode,
        DropoutNode,
        NormNode,
        MergeNode {

  /** The field name. */
  String name();

  /** The layer annotation's simple name, e.g. {@code Dense}. */
  String kind();

  /** The activation applied to this layer's output (identity if none). */
  Activation activation();

  /** The field and its layer annotation. */
  Origin origin();

  /** Whether the layer learns parameters (a network needs at least one such layer). */
  boolean hasParameters();
}
