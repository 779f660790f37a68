package dev.annonet.processor.codegen;

import static dev.annonet.processor.codegen.RuntimeNames.CONV2D;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.layers.Conv2dNode;
import java.util.List;

/** Code for a {@code @Conv2d} layer: a fused kernel call each way, sizes as constants. */
final class Conv2dEmitter implements LayerEmitter {

  /** {@code c1: Conv2d 1x28x28 -> 6x24x24, 5x5 stride 1 pad 0, @Relu}. */
  static String banner(LayerPlan p) {
    Conv2dNode conv = (Conv2dNode) p.node();
    return p.name() + ": Conv2d " + p.inShape() + " -> " + p.shape() + ", " + conv.kernel() + "x"
        + conv.kernel() + " stride " + conv.stride() + " pad " + conv.effectivePadding()
        + Code.actSuffix(conv.activation());
  }

  @Override
  public List<FieldSpec> constants(LayerPlan p) {
    Conv2dNode conv = (Conv2dNode) p.node();
    int[] in = p.inShape().dims();
    int[] out = p.shape().dims();
    String k = p.prefix();
    FieldSpec[] offsets = Code.offsets(p);
    return List.of(
        Code.constant(k + "_IN_C", in[0], "Input channels of " + banner(p) + "."),
        Code.constant(k + "_IN_H", in[1], "Input height."),
        Code.constant(k + "_IN_W", in[2], "Input width."),
        Code.constant(k + "_OUT_C", out[0], "Output channels (filters)."),
        Code.constant(k + "_K", conv.kernel(), "Kernel height and width."),
        Code.constant(k + "_STRIDE", conv.stride(), "Stride."),
        Code.constant(k + "_PAD", conv.effectivePadding(), "Zero padding on each side."),
        offsets[0],
        offsets[1]);
  }

  @Override
  public CodeBlock initialize(LayerPlan p) {
    String k = p.prefix();
    String area = k + "_K * " + k + "_K";
    return Code.initWeights(
        p, k + "_OUT_C * " + k + "_IN_C * " + area, k + "_IN_C * " + area,
        k + "_OUT_C * " + area, k + "_OUT_C");
  }

  private static String sizes(String k) {
    return "batch, " + k + "_IN_C, " + k + "_IN_H, " + k + "_IN_W, " + k + "_OUT_C, " + k + "_K, "
        + k + "_STRIDE, " + k + "_PAD";
  }

  @Override
  public CodeBlock forward(LayerPlan p) {
    String k = p.prefix();
    return CodeBlock.builder()
        .add("// $L; $L: [batch][$L]\n", banner(p), p.value(), p.shape().toString().replace("x", "]["))
        .addStatement(
            "$T.forward($L, params, $L_W, $L_B, $L, $L, $L)",
            CONV2D, p.in().value(), k, k, p.value(), sizes(k), Code.act(p.producer()))
        .build();
  }

  @Override
  public CodeBlock backward(LayerPlan p, Graph g) {
    String k = p.prefix();
    CodeBlock.Builder code = CodeBlock.builder().add("// $L\n", banner(p));
    code.addStatement(
        "$T.backwardParams($L, $L, grads, $L_W, $L_B, $L)",
        CONV2D, p.grad(), p.in().value(), k, k, sizes(k));
    String target = g.gradientTarget(p, 0);
    if (target != null) {
      code.addStatement(
          "$T.backwardInput($L, params, $L_W, $L, $L, $L, $L)",
          CONV2D, p.grad(), k, p.in().value(), target, sizes(k), Code.act(p.in().producer()));
      code.add(g.accumulate(p, 0));
    }
    return code.build();
  }
}
