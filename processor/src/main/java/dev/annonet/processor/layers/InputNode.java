package dev.annonet.processor.layers;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.Message;
import dev.annonet.processor.codegen.Graph;
import dev.annonet.processor.codegen.LayerPlan;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;
import java.util.List;

/** {@code @Input(shape)}: a vector {@code [n]} or an image {@code [c, h, w]}. */
public record InputNode(String name, int[] shape, Origin origin) implements LayerNode {

  @Override
  public String kind() {
    return "Input";
  }

  @Override
  public Activation activation() {
    return Activation.none(origin);
  }

  // ---- Reading

  /** Reads {@code @Input(shape)}: one size or three, all positive, and no activation. */
  static InputNode read(LayerReading r) {
    String name = r.name();
    Origin origin = r.origin();
    int[] shape = r.settings().intArray("value");
    if (shape.length != 1 && shape.length != 3) {
      r.error(origin.atValue(), Message.INPUT_SHAPE, name, shape.length);
    } else {
      for (int size : shape) {
        if (size <= 0) {
          String example = shape.length == 1 ? "@Input(64)" : "@Input({1, 28, 28})";
          r.error(origin.atValue(), Message.NON_POSITIVE_SIZE, "@Input", name, size, example);
          break;
        }
      }
    }
    Activation act = r.activation();
    if (!act.isNone()) {
      r.error(act.origin(), Message.ACTIVATION_ON_INPUT, act.display(), name);
    }
    return new InputNode(name, shape, origin);
  }

  // ---- Shape rule and parameters

  @Override
  public boolean hasParameters() {
    return false;
  }

  @Override
  public Shape outputShape(ShapeContext c) {
    return shapeWithoutInput();
  }

  /** Its own shape, unless that is not one size or three, all positive (already reported). */
  @Override
  public Shape shapeWithoutInput() {
    if (shape.length != 1 && shape.length != 3) {
      return null;
    }
    for (int d : shape) {
      if (d <= 0) {
        return null;
      }
    }
    return new Shape(shape.clone());
  }

  @Override
  public ParameterLayout parameters(Shape in) {
    return ParameterLayout.NONE;
  }

  // The input is the parameter x of forward and backward: it declares and computes nothing.

  @Override
  public List<FieldSpec> constants(LayerPlan p) {
    return List.of();
  }

  @Override
  public CodeBlock forward(LayerPlan p) {
    return CodeBlock.of("");
  }

  @Override
  public CodeBlock backward(LayerPlan p, Graph g) {
    return CodeBlock.of("");
  }
}
