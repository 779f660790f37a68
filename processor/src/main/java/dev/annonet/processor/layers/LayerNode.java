package dev.annonet.processor.layers;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.codegen.Buffer;
import dev.annonet.processor.codegen.Graph;
import dev.annonet.processor.codegen.LayerPlan;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;
import java.util.List;

/**
 * One layer of a network, and the home of its kind: each implementation, one record per layer
 * annotation in a file of its own, holds the settings read from the field (plain sizes and enums,
 * plus the {@link Origin} for diagnostics) and, in the order the processor runs them, every stage
 * of its kind: a static {@code read(LayerReading)} that {@link Layers} lists, the shape rule
 * ({@link #outputShape}) and parameters ({@link #parameters}), then the generated code
 * ({@link #constants} to {@link #backward}). A stage without a default is abstract, so a kind that
 * lacks it does not compile (Java 17 has no pattern switch, and an instanceof chain fails only when
 * it runs). {@link InputLayer}, {@link PoolNode}, {@link NormNode}, {@link MergeNode} and {@link
 * SequenceHeadNode} hold what their kinds share, as {@link RecurrentNode} does for LSTM and GRU.
 * The package documentation lists what adding a kind takes.
 */
public sealed interface LayerNode
    permits InputLayer,
        DenseNode,
        FlattenNode,
        Conv2dNode,
        PoolNode,
        DropoutNode,
        NormNode,
        MergeNode,
        EmbeddingNode,
        PositionalEmbeddingNode,
        SequenceHeadNode,
        CausalSelfAttentionNode,
        RecurrentNode {

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

  // ---- Code: "methods generating methods" that turn the layer's LayerPlan into the generated
  // model's constants, buffers and statements

  /** The layer's constants (sizes and parameter offsets). */
  List<FieldSpec> constants(LayerPlan p);

  /** Buffers besides the output and its gradient (masks, saved statistics). */
  default List<Buffer> buffers(LayerPlan p) {
    return List.of();
  }

  /** Initialises the layer's parameters and state from {@code rng}. */
  default CodeBlock initialize(LayerPlan p) {
    return CodeBlock.of("");
  }

  /** Computes {@code p.value()} from the inputs' values. */
  CodeBlock forward(LayerPlan p);

  /**
   * From {@code p.grad()}, writes the parameter gradients and each input's gradient (where
   * {@link Graph#gradientTarget} says).
   */
  CodeBlock backward(LayerPlan p, Graph g);

  /**
   * {@link #backward} for a batch run whole while {@code slices} ({@code BatchSlices}) keeps its
   * slices' results apart: the input gradients on all rows at once, each slice's parameter
   * gradient from its own rows into {@code slices.sliceGradients(s)}. Null if this kind cannot,
   * and then a sliced batch runs slice by slice on one thread too. A layer without parameters
   * treats each sample on its own in any sliceable network, so its backward pass serves as is.
   */
  default CodeBlock backwardBySlice(LayerPlan p, Graph g) {
    return hasParameters() ? null : backward(p, g);
  }
}
