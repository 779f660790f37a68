package dev.annonet.processor.codegen;

import static dev.annonet.processor.codegen.RuntimeNames.DROPOUT;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.layers.DropoutNode;
import java.util.List;

/** Code for {@code @Dropout}: a seeded mask in training mode, a copy in inference mode. */
final class DropoutEmitter implements LayerEmitter {

  private static String mask(LayerPlan p) {
    return p.ident() + "Mask";
  }

  private static float rate(LayerPlan p) {
    return ((DropoutNode) p.node()).p();
  }

  @Override
  public List<FieldSpec> constants(LayerPlan p) {
    return List.of(
        Code.constant(p.prefix() + "_SIZE", p.size(),
            "Values per sample of " + p.name() + ": Dropout(" + rate(p) + ")."));
  }

  @Override
  public List<Buffer> buffers(LayerPlan p) {
    return List.of(
        Buffer.perSample(mask(p), "0 for dropped values, 1 / (1 - p) for kept ones", p.size()));
  }

  @Override
  public CodeBlock forward(LayerPlan p) {
    String n = "batch * " + p.prefix() + "_SIZE";
    return CodeBlock.builder()
        .add("// $L: Dropout($L), training mode only; $L: [batch][$L]\n", p.name(), rate(p),
            p.value(), p.size())
        .beginControlFlow("if (training)")
        .addStatement(
            "dropoutState = $T.forward($L, $L, $L, $L, $L, dropoutState)", DROPOUT,
            p.in().value(), p.value(), mask(p), n, Code.floatLiteral(rate(p)))
        .nextControlFlow("else")
        .addStatement("System.arraycopy($L, 0, $L, 0, $L)", p.in().value(), p.value(), n)
        .addStatement("$T.fill($L, 0, $L, 1f)", RuntimeNames.ARRAYS, mask(p), n)
        .endControlFlow()
        .build();
  }

  @Override
  public CodeBlock backward(LayerPlan p, Graph g) {
    String target = g.gradientTarget(p, 0);
    if (target == null) {
      return CodeBlock.of("");
    }
    return CodeBlock.builder()
        .add("// $L: Dropout($L)\n", p.name(), rate(p))
        .addStatement(
            "$T.backward($L, $L, $L, $L, batch * $L_SIZE, $L)", DROPOUT, p.grad(), mask(p),
            p.in().value(), target, p.prefix(), Code.act(p.in().producer()))
        .add(g.accumulate(p, 0))
        .build();
  }
}
