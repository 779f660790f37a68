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

/** {@code @Flatten}: an image {@code [c][h][w]} read as a vector; no parameters, no work. */
public record FlattenNode(String name, Origin origin) implements LayerNode {

  @Override
  public String kind() {
    return "Flatten";
  }

  @Override
  public Activation activation() {
    return Activation.none(origin);
  }

  // ---- Reading

  /** Reads {@code @Flatten}: no settings, no activation. */
  static FlattenNode read(LayerReading r) {
    r.noActivation("Flatten");
    return new FlattenNode(r.name(), r.origin());
  }

  // ---- Shape rule and parameters

  @Override
  public boolean hasParameters() {
    return false;
  }

  /** An image read as a vector of its values; a vector is reported (nothing to flatten). */
  @Override
  public Shape outputShape(ShapeContext c) {
    Shape s = c.in();
    if (!c.vectorOrImageInput(this, "an image",
        "turn the sequence into a vector with @LastStep or @MeanOverSteps instead")) {
      return null;
    }
    if (s.isVector()) {
      c.error(origin, Message.FLATTEN_OF_VECTOR, name, c.from(), s);
      return s;
    }
    return Shape.vector((int) s.longSize());
  }

  @Override
  public ParameterLayout parameters(Shape in) {
    return ParameterLayout.NONE;
  }

  // Same floats, same buffers: the next layer reads its source's buffer as a vector.

  @Override
  public List<FieldSpec> constants(LayerPlan p) {
    return List.of();
  }

  @Override
  public CodeBlock forward(LayerPlan p) {
    return CodeBlock.of("// $L: Flatten, reads $L as [batch][$L]\n", p.name(), p.value(), p.size());
  }

  @Override
  public CodeBlock backward(LayerPlan p, Graph g) {
    return CodeBlock.of("");
  }
}
