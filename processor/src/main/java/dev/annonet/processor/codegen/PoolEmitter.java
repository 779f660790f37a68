package dev.annonet.processor.codegen;

import static dev.annonet.processor.codegen.RuntimeNames.POOL;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.layers.MaxPoolNode;
import dev.annonet.processor.layers.PoolNode;
import java.util.List;

/** Code for {@code @MaxPool} and {@code @AvgPool}; max pooling keeps its argmax for backward. */
final class PoolEmitter implements LayerEmitter {

  static String banner(LayerPlan p) {
    PoolNode pool = (PoolNode) p.node();
    return p.name() + ": " + pool.kind() + " " + p.inShape() + " -> " + p.shape() + ", "
        + pool.size() + "x" + pool.size() + " stride " + pool.stride();
  }

  private static String argmax(LayerPlan p) {
    return p.ident() + "Argmax";
  }

  private static boolean max(LayerPlan p) {
    return p.node() instanceof MaxPoolNode;
  }

  @Override
  public List<FieldSpec> constants(LayerPlan p) {
    PoolNode pool = (PoolNode) p.node();
    int[] in = p.inShape().dims();
    String k = p.prefix();
    return List.of(
        Code.constant(k + "_C", in[0], "Channels of " + banner(p) + "."),
        Code.constant(k + "_IN_H", in[1], "Input height."),
        Code.constant(k + "_IN_W", in[2], "Input width."),
        Code.constant(k + "_SIZE", pool.size(), "Window height and width."),
        Code.constant(k + "_STRIDE", pool.stride(), "Step between windows."));
  }

  @Override
  public List<Buffer> buffers(LayerPlan p) {
    return max(p)
        ? List.of(new Buffer(argmax(p), "Index into the input of each maximum", p.size(), true,
            true, null))
        : List.of();
  }

  private static String sizes(String k) {
    return "batch, " + k + "_C, " + k + "_IN_H, " + k + "_IN_W, " + k + "_SIZE, " + k + "_STRIDE";
  }

  @Override
  public CodeBlock forward(LayerPlan p) {
    String k = p.prefix();
    CodeBlock.Builder code = CodeBlock.builder()
        .add("// $L; $L: [batch][$L]\n", banner(p), p.value(),
            p.shape().toString().replace("x", "]["));
    if (max(p)) {
      code.addStatement(
          "$T.maxForward($L, $L, $L, $L)", POOL, p.in().value(), p.value(), argmax(p), sizes(k));
    } else {
      code.addStatement("$T.avgForward($L, $L, $L)", POOL, p.in().value(), p.value(), sizes(k));
    }
    return code.build();
  }

  @Override
  public CodeBlock backward(LayerPlan p, Graph g) {
    String target = g.gradientTarget(p, 0);
    if (target == null) {
      return CodeBlock.of("");
    }
    String k = p.prefix();
    CodeBlock.Builder code = CodeBlock.builder().add("// $L\n", banner(p));
    if (max(p)) {
      code.addStatement(
          "$T.maxBackward($L, $L, $L, $L, $L, $L)", POOL, p.grad(), argmax(p), p.in().value(),
          target, sizes(k), Code.act(p.in().producer()));
    } else {
      code.addStatement(
          "$T.avgBackward($L, $L, $L, $L, $L)", POOL, p.grad(), p.in().value(), target, sizes(k),
          Code.act(p.in().producer()));
    }
    return code.add(g.accumulate(p, 0)).build();
  }
}
