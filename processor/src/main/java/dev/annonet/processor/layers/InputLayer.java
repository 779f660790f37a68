package dev.annonet.processor.layers;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.Message;
import dev.annonet.processor.codegen.Graph;
import dev.annonet.processor.codegen.LayerPlan;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;
import java.util.List;

/**
 * The network's input, its first field: {@code @Input} (a vector or an image), {@code
 * @TokenInput} (token ids) or {@code @SequenceInput} (a real sequence). Its shape is its own
 * ({@link #shapeWithoutInput}, null when a setting is wrong); it is the parameter {@code x} of
 * the generated forward and backward, and declares and computes nothing.
 */
public sealed interface InputLayer extends LayerNode
    permits InputNode, TokenInputNode, SequenceInputNode {

  @Override
  default Activation activation() {
    return Activation.none(origin());
  }

  /** Reports an activation on the input, which would change the data rather than a layer. */
  static void noActivation(LayerReading r) {
    Activation act = r.activation();
    if (!act.isNone()) {
      r.error(act.origin(), Message.ACTIVATION_ON_INPUT, act.display(), r.name());
    }
  }

  /**
   * Reads a sequence input {@code @kind(length, width)}, where {@code width} names the second
   * setting ({@code vocabulary}, {@code features}): each reported on the setting unless
   * positive ({@code example} is a valid declaration), and no activation. Returns both.
   */
  static int[] readSequence(LayerReading r, String kind, String width, String example) {
    int[] values = new int[2];
    String[] settings = {"length", width};
    for (int i = 0; i < 2; i++) {
      values[i] = r.settings().intValue(settings[i]);
      if (values[i] <= 0) {
        r.error(r.origin().at(settings[i]), Message.SEQUENCE_INPUT_SETTING, kind, r.name(),
            settings[i], values[i], settings[i], example);
      }
    }
    noActivation(r);
    return values;
  }

  // ---- Shape rule and parameters

  @Override
  default boolean hasParameters() {
    return false;
  }

  @Override
  default Shape outputShape(ShapeContext c) {
    return shapeWithoutInput();
  }

  @Override
  default ParameterLayout parameters(Shape in) {
    return ParameterLayout.NONE;
  }

  // ---- Code: none; the input is the parameter x of forward and backward

  @Override
  default List<FieldSpec> constants(LayerPlan p) {
    return List.of();
  }

  @Override
  default CodeBlock forward(LayerPlan p) {
    return CodeBlock.of("");
  }

  @Override
  default CodeBlock backward(LayerPlan p, Graph g) {
    return CodeBlock.of("");
  }
}
