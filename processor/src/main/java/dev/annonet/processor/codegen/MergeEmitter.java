package dev.annonet.processor.codegen;

import static dev.annonet.processor.codegen.RuntimeNames.MERGE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.layers.AddNode;
import java.util.List;

/** Code for {@code @Add} (a residual sum) and {@code @Concat} (joined per sample). */
final class MergeEmitter implements LayerEmitter {

  private static boolean add(LayerPlan p) {
    return p.node() instanceof AddNode;
  }

  static String banner(LayerPlan p) {
    StringBuilder s = new StringBuilder(p.name()).append(": ").append(p.node().kind()).append(' ');
    for (int j = 0; j < p.inputs().size(); j++) {
      s.append(j == 0 ? "" : add(p) ? " + " : " | ").append(p.inputs().get(j).name());
    }
    return s.append(" -> ").append(p.shape()).append(Code.actSuffix(p.node().activation()))
        .toString();
  }

  @Override
  public List<FieldSpec> constants(LayerPlan p) {
    return List.of(Code.constant(p.prefix() + "_SIZE", p.size(), "Values per sample of "
        + banner(p) + "."));
  }

  @Override
  public CodeBlock forward(LayerPlan p) {
    String n = "batch * " + p.prefix() + "_SIZE";
    CodeBlock.Builder code = CodeBlock.builder()
        .add("// $L; $L: [batch][$L]\n", banner(p), p.value(), p.size());
    List<LayerPlan> in = p.inputs();
    if (add(p)) {
      for (int j = 1; j < in.size(); j++) {
        boolean last = j == in.size() - 1;
        code.addStatement(
            "$T.add($L, $L, $L, $L, $L)", MERGE, p.value(), j == 1 ? in.get(0).value() : p.value(),
            in.get(j).value(), n,
            last
                ? Code.act(p.producer())
                : CodeBlock.of("$T.IDENTITY, 0f", RuntimeNames.ACTIVATION));
      }
      return code.build();
    }
    int offset = 0;
    for (LayerPlan input : in) {
      code.addStatement(
          "$T.concat($L, $L_SIZE, $L, $L, $L, batch)", MERGE, p.value(), p.prefix(), offset,
          input.value(), input.size());
      offset += input.size();
    }
    if (!p.producer().isNone()) {
      code.addStatement(
          "$L.applyInPlace($L, 0, $L, $L)", Code.activation(p.producer()), p.value(), n,
          Code.alpha(p.producer()));
    }
    return code.build();
  }

  @Override
  public CodeBlock backward(LayerPlan p, Graph g) {
    CodeBlock.Builder code = CodeBlock.builder().add("// $L\n", banner(p));
    int offset = 0;
    for (int j = 0; j < p.inputs().size(); j++) {
      LayerPlan input = p.inputs().get(j);
      String target = g.gradientTarget(p, j);
      if (target != null) {
        if (add(p)) {
          code.addStatement(
              "$T.addBackward($L, $L, $L, batch * $L_SIZE, $L)", MERGE, p.grad(), input.value(),
              target, p.prefix(), Code.act(input.producer()));
        } else {
          code.addStatement(
              "$T.concatBackward($L, $L_SIZE, $L, $L, $L, $L, batch, $L)", MERGE, p.grad(),
              p.prefix(), offset, input.value(), target, input.size(),
              Code.act(input.producer()));
        }
        code.add(g.accumulate(p, j));
      }
      offset += input.size();
    }
    return code.build();
  }
}
