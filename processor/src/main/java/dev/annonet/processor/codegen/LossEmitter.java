package dev.annonet.processor.codegen;

import static dev.annonet.processor.codegen.RuntimeNames.ACTIVATION;
import static dev.annonet.processor.codegen.RuntimeNames.LOSSES;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.ActivationKind;
import dev.annonet.processor.model.LossKind;
import dev.annonet.processor.model.LossSpec;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/** Code for the loss: its value and gradient, the output activation's backward, predictions. */
final class LossEmitter {
  private LossEmitter() {}

  /**
   * {@code private float lossOf(float[] y, int from, int batch, float[] d)}: the mean loss of
   * the output buffer's samples {@code [from, from + batch)} against {@code y}'s, writing its
   * gradient into the same rows of {@code d} unless it is null. The forward pass, the training
   * step and the predictions start at sample 0; a batch run whole on one thread ({@code
   * BatchSlices}) takes the loss of each slice.
   */
  static MethodSpec lossOf(LossSpec loss, LayerPlan last, ClassName userClass) {
    MethodSpec.Builder m =
        MethodSpec.methodBuilder("lossOf")
            .addModifiers(Modifier.PRIVATE)
            .returns(TypeName.FLOAT)
            .addParameter(float[].class, "y")
            .addParameter(TypeName.INT, "from")
            .addParameter(TypeName.INT, "batch")
            .addParameter(float[].class, "d")
            .addJavadoc(
                "Loss @$L of samples [from, from + batch) of $L against y; writes its gradient"
                    + " into d unless d is null.\n",
                loss.kind().annotation(), last.value());
    String out = last.value();
    switch (loss.kind()) {
      case SQUARED_ERROR -> m.addStatement(
          "return $T.squaredError($L, y, d, from * OUTPUT_SIZE,"
              + " batch * OUTPUT_SIZE)", LOSSES, out);
      case HALF_SQUARED_ERROR -> m.addStatement(
          "return $T.halfSquaredError($L, y, d, from * OUTPUT_SIZE,"
              + " batch * OUTPUT_SIZE)", LOSSES, out);
      case ABSOLUTE_ERROR -> m.addStatement(
          "return $T.absoluteError($L, y, d, from * OUTPUT_SIZE,"
              + " batch * OUTPUT_SIZE)", LOSSES, out);
      case HUBER -> m.addStatement(
          "return $T.huber($L, y, d, from * OUTPUT_SIZE, batch * OUTPUT_SIZE, $L)", LOSSES, out,
          Code.floatLiteral(loss.delta()));
      case BINARY_CROSS_ENTROPY -> m.addStatement(
          "return $T.binaryCrossEntropy($L, y, d, from * OUTPUT_SIZE,"
              + " batch * OUTPUT_SIZE)", LOSSES, out);
      case SOFTMAX_CROSS_ENTROPY -> m.addStatement(last.shape().isRealSequence()
          ? CodeBlock.of("return $T.sequenceCrossEntropy($L, y, d, from, batch, OUTPUT_STEPS,"
              + " OUTPUT_FEATURES)", LOSSES, out)
          : CodeBlock.of("return $T.softmaxCrossEntropy($L, y, d, from, batch, OUTPUT_SIZE)", LOSSES,
              out));
      case RESIDUAL -> m.addCode(residual(loss, out, userClass));
    }
    return m.build();
  }

  /** The lecture's mean of phi(y - f(x)); d/df phi(y - f) = -phi'(y - f). */
  private static CodeBlock residual(LossSpec loss, String out, ClassName userClass) {
    return CodeBlock.builder()
        .addStatement("int n = batch * OUTPUT_SIZE")
        .addStatement("int first = from * OUTPUT_SIZE")
        .addStatement("float scale = 1f / n")
        .addStatement("double sum = 0")
        .beginControlFlow("for (int k = first; k < first + n; k++)")
        .addStatement("float r = y[k] - $L[k]", out)
        .addStatement("sum += $T.$L(r)", userClass, loss.phi())
        .beginControlFlow("if (d != null)")
        .addStatement(loss.phiDerivative() == null ? CodeBlock.of("d[k] = -scale * dphi(r)")
            : CodeBlock.of("d[k] = -scale * $T.$L(r)", userClass, loss.phiDerivative()))
        .endControlFlow()
        .endControlFlow()
        .addStatement("return (float) (sum / n)")
        .build();
  }

  /**
   * The model's {@code public static float phi(float r)} and {@code dphi(float r)}, so that users
   * and tests can call (and check) them: delegates to the user's methods, or for a derivative
   * Annonet derived, the derived code itself and its helpers.
   */
  static List<MethodSpec> phiMethods(LossSpec loss, ClassName userClass, List<MethodSpec> derived) {
    List<MethodSpec> methods = new ArrayList<>();
    methods.add(phiDelegate("phi", userClass, loss.phi(), "The loss of one residual"));
    if (loss.phiDerivative() != null) {
      methods.add(phiDelegate("dphi", userClass, loss.phiDerivative(), "Its derivative"));
    }
    methods.addAll(derived);
    return methods;
  }

  private static MethodSpec phiDelegate(String name, ClassName userClass, String user,
      String what) {
    return MethodSpec.methodBuilder(name)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(TypeName.FLOAT)
        .addParameter(TypeName.FLOAT, "r")
        .addJavadoc("$L, {@link $T#$L(float)}.\n", what, userClass, user)
        .addStatement("return $T.$L(r)", userClass, user)
        .build();
  }

  /** Backward through the output layer's own activation, from dL/dy to dL/dz in place. */
  static CodeBlock outputActivationBackward(LayerPlan last) {
    Activation act = last.producer();
    CodeBlock.Builder code = CodeBlock.builder();
    if (act.kind() == ActivationKind.SOFTMAX) {
      code.add("// through the output softmax\n")
          .addStatement(
              "$T.softmaxBackwardInPlace($L, $L, $L)",
              LOSSES, last.grad(), last.value(), rows(last));
    } else if (!act.isNone()) {
      code.add("// through the output $L\n", act.display())
          .beginControlFlow("for (int k = 0; k < batch * OUTPUT_SIZE; k++)")
          .addStatement(
              "$L[k] *= $T.$L.derivativeFromOutput($L[k], $L)",
              last.grad(), ACTIVATION, act.kind().runtimeConstant(), last.value(),
              Code.alpha(act))
          .endControlFlow();
    }
    return code.build();
  }

  /**
   * The rows and the width a softmax over the output runs on: {@code batch, OUTPUT_SIZE}, or one
   * row per position of a sequence, {@code batch * OUTPUT_STEPS, OUTPUT_FEATURES}.
   */
  static String rows(LayerPlan last) {
    return last.shape().isRealSequence()
        ? "batch * OUTPUT_STEPS, OUTPUT_FEATURES"
        : "batch, OUTPUT_SIZE";
  }

  /** After copying the outputs into {@code out}: softmax or sigmoid for the cross-entropies. */
  static CodeBlock predictTransform(LossKind kind, LayerPlan last) {
    return switch (kind) {
      case SOFTMAX_CROSS_ENTROPY -> CodeBlock.of(
          "$T.softmaxInPlace(out, $L);\n", LOSSES, rows(last));
      case BINARY_CROSS_ENTROPY -> CodeBlock.of(
          "$T.sigmoidInPlace(out, batch * OUTPUT_SIZE);\n", LOSSES);
      default -> CodeBlock.of("");
    };
  }
}
