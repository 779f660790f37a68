package dev.annonet.processor.layers;

import static dev.annonet.processor.codegen.RuntimeNames.MERGE;

import com.palantir.javapoet.CodeBlock;
import dev.annonet.processor.codegen.Code;
import dev.annonet.processor.codegen.LayerPlan;
import dev.annonet.processor.codegen.RuntimeNames;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;
import java.util.List;

/** {@code @Add(from = ...)}: a residual sum of outputs of the same shape. */
public record AddNode(String name, List<String> from, Activation activation, Origin origin)
    implements MergeNode {

  @Override
  public String kind() {
    return "Add";
  }

  // ---- Reading

  /** Reads {@code @Add(from = ...)}; the names are checked with the shapes. */
  static AddNode read(LayerReading r) {
    return new AddNode(r.name(), r.settings().strings("from"), r.activation(), r.origin());
  }

  // ---- Shape rule and parameters

  /** Real values of any shape: vectors, images, sequences. */
  @Override
  public boolean accepts(ShapeContext c) {
    return c.realValues(this);
  }

  @Override
  public Mismatch mismatch(Shape first, Shape other) {
    return other.equals(first) ? null : new Mismatch("adds outputs of the same shape",
        "make both the same shape, e.g. with a @Dense("
            + (first.isRealSequence() ? first.features() : first.size()) + ") on the branch");
  }

  /** The shape of each input. */
  @Override
  public Shape joined(ShapeContext c) {
    return c.in();
  }

  // ---- Code: sums into the output, the activation fused into the last one

  @Override
  public String joiner() {
    return " + ";
  }

  @Override
  public void forwardCalls(LayerPlan p, CodeBlock.Builder code, String n) {
    List<LayerPlan> in = p.inputs();
    for (int j = 1; j < in.size(); j++) {
      boolean last = j == in.size() - 1;
      code.addStatement(
          "$T.add($L, $L, $L, $L, $L)", MERGE, p.value(), j == 1 ? in.get(0).value() : p.value(),
          in.get(j).value(), n,
          last
              ? Code.act(p.producer())
              : CodeBlock.of("$T.IDENTITY, 0f", RuntimeNames.ACTIVATION));
    }
  }

  @Override
  public CodeBlock backwardCall(LayerPlan p, LayerPlan input, String target, int offset) {
    return CodeBlock.of("$T.addBackward($L, $L, $L, batch * $L_SIZE, $L)", MERGE, p.grad(),
        input.value(), target, p.prefix(), Code.act(input.producer()));
  }
}
