package dev.annonet.processor.layers;

import static dev.annonet.processor.codegen.RuntimeNames.DROPOUT;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.Message;
import dev.annonet.processor.codegen.Buffer;
import dev.annonet.processor.codegen.Code;
import dev.annonet.processor.codegen.Graph;
import dev.annonet.processor.codegen.LayerPlan;
import dev.annonet.processor.codegen.RuntimeNames;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;
import java.util.List;

/** {@code @Dropout(p)}: inverted dropout, active in training mode only. */
public record DropoutNode(String name, float p, Origin origin) implements LayerNode {

  @Override
  public String kind() {
    return "Dropout";
  }

  @Override
  public Activation activation() {
    return Activation.none(origin);
  }

  // ---- Reading

  /** Reads {@code @Dropout(p)}: p in [0, 1) as a float, and no activation. */
  static DropoutNode read(LayerReading r) {
    r.noActivation("Dropout");
    double written = r.settings().doubleValue("value");
    String bad = LayerReading.rejected(written, p -> p >= 0 && p < 1);
    if (bad != null) {
      r.error(r.origin().atValue(), Message.DROPOUT_RATE, bad, r.name());
    }
    return new DropoutNode(r.name(), (float) written, r.origin());
  }

  // ---- Shape rule and parameters

  @Override
  public boolean hasParameters() {
    return false;
  }

  /** Any shape of real values, unchanged. */
  @Override
  public Shape outputShape(ShapeContext c) {
    return c.realValues(this) ? c.in() : null;
  }

  @Override
  public ParameterLayout parameters(Shape in) {
    return ParameterLayout.NONE;
  }

  // ---- Code: a seeded mask in training mode, a copy in inference mode

  private static String mask(LayerPlan plan) {
    return plan.ident() + "Mask";
  }

  @Override
  public List<FieldSpec> constants(LayerPlan plan) {
    return List.of(
        Code.constant(plan.prefix() + "_SIZE", plan.size(),
            "Values per sample of " + plan.name() + ": Dropout(" + p + ")."));
  }

  @Override
  public List<Buffer> buffers(LayerPlan plan) {
    return List.of(Buffer.perSample(
        mask(plan), "0 for dropped values, 1 / (1 - p) for kept ones", plan.size()));
  }

  @Override
  public CodeBlock forward(LayerPlan plan) {
    String n = "batch * " + plan.prefix() + "_SIZE";
    return CodeBlock.builder()
        .add("// $L: Dropout($L), training mode only; $L: [batch]$L\n", plan.name(), p,
            plan.value(), Code.sampleDims(plan.shape()))
        .beginControlFlow("if (training)")
        .addStatement(
            "dropoutState = $T.forward($L, $L, $L, $L, $L, dropoutState)", DROPOUT,
            plan.in().value(), plan.value(), mask(plan), n, Code.floatLiteral(p))
        .nextControlFlow("else")
        .addStatement("System.arraycopy($L, 0, $L, 0, $L)", plan.in().value(), plan.value(), n)
        .addStatement("$T.fill($L, 0, $L, 1f)", RuntimeNames.ARRAYS, mask(plan), n)
        .endControlFlow()
        .build();
  }

  @Override
  public CodeBlock backward(LayerPlan plan, Graph g) {
    String target = g.gradientTarget(plan, 0);
    if (target == null) {
      return CodeBlock.of("");
    }
    return CodeBlock.builder()
        .add("// $L: Dropout($L)\n", plan.name(), p)
        .addStatement(
            "$T.backward($L, $L, $L, $L, batch * $L_SIZE, $L)", DROPOUT, plan.grad(), mask(plan),
            plan.in().value(), target, plan.prefix(), Code.act(plan.in().producer()))
        .add(g.accumulate(plan, 0))
        .build();
  }
}
