package dev.annonet.processor.layers;

import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;
import java.util.List;

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

  // ---- Shapes: the rule, the parameters, the cost

  /**
   * The layers this layer reads, by position: the previous one, and for a merge the layers it
   * names; null after reporting a name that is wrong. Not asked of the input layer.
   */
  default List<Integer> inputs(ShapeContext c) {
    return List.of(c.index() - 1);
  }

  /**
   * The shape rule: this layer's output shape given its inputs' (the first one known), or null
   * after reporting why the layer cannot take them.
   */
  Shape outputShape(ShapeContext c);

  /** The output shape when the first input's is unknown (a mistake already reported), or null. */
  default Shape shapeWithoutInput() {
    return null;
  }

  /**
   * The weight and bias this layer learns given its first input's shape, as PyTorch lays them
   * out ({@link ParameterLayout#of}), or {@link ParameterLayout#NONE}; the checker places them.
   */
  ParameterLayout parameters(Shape in);

  /** Multiply-adds per sample of the forward pass (0 for a layer that only moves values). */
  default long multiplyAdds(Shape in, Shape out) {
    return 0;
  }

  /** How the fix for an output too large for an array reads: {@code fewer units}. */
  default String smallerOutput() {
    return "a smaller input";
  }

  /** How the fix for parameters too many for an array reads: {@code fewer units, ...}. */
  default String fewerParameters() {
    return "a smaller input";
  }
}
