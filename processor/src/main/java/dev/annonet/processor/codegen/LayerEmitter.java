package dev.annonet.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import java.util.List;

/**
 * Code for one kind of layer: "methods generating methods" that turn a {@link LayerPlan} into
 * constants, buffers, and the statements of initialisation, forward and backward.
 */
interface LayerEmitter {

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
}
