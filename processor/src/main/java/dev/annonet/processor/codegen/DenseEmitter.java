package dev.annonet.processor.codegen;

import static dev.annonet.processor.codegen.RuntimeNames.DENSE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import java.util.List;

/** Code for a {@code @Dense} layer: one fused kernel call each way. */
final class DenseEmitter implements LayerEmitter {

  /** {@code f1: Dense 256 -> 120, @Relu}. */
  static String banner(LayerPlan p) {
    return p.name() + ": Dense " + p.inShape().size() + " -> " + p.size()
        + Code.actSuffix(p.node().activation());
  }

  @Override
  public List<FieldSpec> constants(LayerPlan p) {
    FieldSpec[] offsets = Code.offsets(p);
    return List.of(
        Code.constant(p.prefix() + "_IN", p.inShape().size(), "Inputs of " + banner(p) + "."),
        Code.constant(p.prefix() + "_OUT", p.size(), "Outputs of " + p.name() + "."),
        offsets[0],
        offsets[1]);
  }

  @Override
  public CodeBlock initialize(LayerPlan p) {
    String k = p.prefix();
    return Code.initWeights(p, k + "_IN * " + k + "_OUT", k + "_IN", k + "_OUT", k + "_OUT");
  }

  @Override
  public CodeBlock forward(LayerPlan p) {
    String k = p.prefix();
    return CodeBlock.builder()
        .add("// $L; $L: [batch][$L]\n", banner(p), p.value(), p.size())
        .addStatement(
            "$T.forward($L, params, $L_W, $L_B, $L, batch, $L_IN, $L_OUT, $L)",
            DENSE, p.in().value(), k, k, p.value(), k, k, Code.act(p.producer()))
        .build();
  }

  @Override
  public CodeBlock backward(LayerPlan p, Graph g) {
    String k = p.prefix();
    CodeBlock.Builder code = CodeBlock.builder().add("// $L\n", banner(p));
    code.addStatement(
        "$T.backwardParams($L, $L, grads, $L_W, $L_B, batch, $L_IN, $L_OUT)",
        DENSE, p.grad(), p.in().value(), k, k, k, k);
    String target = g.gradientTarget(p, 0);
    if (target != null) {
      code.addStatement(
          "$T.backwardInput($L, params, $L_W, $L, $L, batch, $L_IN, $L_OUT, $L)",
          DENSE, p.grad(), k, p.in().value(), target, k, k, Code.act(p.in().producer()));
      code.add(g.accumulate(p, 0));
    }
    return code.build();
  }
}
