package dev.annonet.processor.codegen;

import static dev.annonet.processor.codegen.RuntimeNames.ACTIVATION;
import static dev.annonet.processor.codegen.RuntimeNames.DENSE;
import static dev.annonet.processor.codegen.RuntimeNames.INIT;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.ActivationKind;
import java.util.List;
import javax.lang.model.element.Modifier;

/** Code for a {@code @Dense} layer: its constants, forward, backward and initialisation. */
final class DenseEmitter {
  private DenseEmitter() {}

  /** {@code // f1: Dense 256 -> 120, @Relu}. */
  static String banner(LayerPlan p) {
    Activation act = p.node().activation();
    return p.node().name() + ": Dense " + p.inSize() + " -> " + p.outSize()
        + (act.isNone() ? "" : ", " + act.display());
  }

  static List<FieldSpec> constants(LayerPlan p) {
    String name = p.node().name();
    return List.of(
        constant(p.prefix() + "_IN", p.inSize(), "Inputs of " + banner(p) + "."),
        constant(p.prefix() + "_OUT", p.outSize(), "Outputs of " + name + "."),
        constant(
            p.prefix() + "_W",
            p.weightOffset(),
            "Offset of " + name + ".weight [" + p.outSize() + "][" + p.inSize()
                + "] in parameters()."),
        constant(
            p.prefix() + "_B",
            p.biasOffset(),
            "Offset of " + name + ".bias [" + p.outSize() + "] in parameters()."));
  }

  private static FieldSpec constant(String name, int value, String doc) {
    return FieldSpec.builder(TypeName.INT, name, Modifier.STATIC, Modifier.FINAL)
        .initializer("$L", value)
        .addJavadoc(doc)
        .build();
  }

  /** The activation applied elementwise by the kernel (softmax is applied after). */
  static String kernelActivation(Activation act) {
    return act.kind().runtimeConstant();
  }

  static String alpha(Activation act) {
    return act.kind() == ActivationKind.LEAKY_RELU ? act.alpha() + "f" : "0f";
  }

  static CodeBlock forward(LayerPlan p, String input) {
    String k = p.prefix();
    return CodeBlock.builder()
        .add("// $L; $L: [batch][$L]\n", banner(p), p.value(), p.outSize())
        .addStatement(
            "$T.forward($L, params, $L_W, $L_B, $L, batch, $L_IN, $L_OUT, $T.$L, $L)",
            DENSE, input, k, k, p.value(), k, k, ACTIVATION,
            kernelActivation(p.producer()), alpha(p.producer()))
        .build();
  }

  /**
   * Backward through the layer: parameter gradients from {@code p.grad()} and the layer input,
   * then, unless the input is the data, the input's gradient with the producer's activation
   * derivative fused in.
   */
  static CodeBlock backward(LayerPlan p, LayerPlan in) {
    String k = p.prefix();
    CodeBlock.Builder code = CodeBlock.builder().add("// $L\n", banner(p));
    code.addStatement(
        "$T.backwardParams($L, $L, grads, $L_W, $L_B, batch, $L_IN, $L_OUT)",
        DENSE, p.grad(), in.value(), k, k, k, k);
    if (in.grad() != null) {
      code.addStatement(
          "$T.backwardInput($L, params, $L_W, $L, $L, batch, $L_IN, $L_OUT, $T.$L, $L)",
          DENSE, p.grad(), k, in.value(), in.grad(), k, k, ACTIVATION,
          kernelActivation(in.producer()), alpha(in.producer()));
    }
    return code.build();
  }

  /** He-uniform before a ReLU-family activation, Glorot-uniform otherwise; zero bias. */
  static CodeBlock initialize(LayerPlan p) {
    String k = p.prefix();
    Activation act = p.node().activation();
    CodeBlock.Builder code = CodeBlock.builder();
    if (act.kind().reluFamily()) {
      code.addStatement(
          "$T.heUniform(params, $L_W, $L_IN * $L_OUT, $L_IN, $L, rng)", INIT, k, k, k, k,
          alpha(act));
    } else {
      code.addStatement(
          "$T.glorotUniform(params, $L_W, $L_IN * $L_OUT, $L_IN, $L_OUT, rng)", INIT, k, k, k,
          k, k);
    }
    return code.addStatement(
            "$T.fill(params, $L_B, $L_B + $L_OUT, 0f)", RuntimeNames.ARRAYS, k, k, k)
        .build();
  }
}
