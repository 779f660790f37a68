package dev.annonet.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.ActivationKind;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;
import javax.lang.model.element.Modifier;

/** Small pieces of generated code shared by the layer kinds (see {@code LayerNode}). */
public final class Code {
  private Code() {}

  /** {@code static final int NAME = value;} with a one-line Javadoc. */
  public static FieldSpec constant(String name, int value, String doc) {
    return FieldSpec.builder(TypeName.INT, name, Modifier.STATIC, Modifier.FINAL)
        .initializer("$L", value)
        .addJavadoc("$L", doc)
        .build();
  }

  /**
   * {@code for (int s = 0; s < slices.sliceCount(); s++) { call; }}: a call once per slice of a
   * batch run whole on one thread ({@code BatchSlices}), which finds its slice through {@code
   * slices.sliceStart(s)} and {@code slices.sliceRows(s)} (a loss, a parameter gradient into
   * {@code slices.sliceGradients(s)}).
   */
  public static CodeBlock eachSlice(String format, Object... args) {
    return CodeBlock.builder()
        .beginControlFlow("for (int s = 0; s < slices.sliceCount(); s++)")
        .addStatement(format, args)
        .endControlFlow()
        .build();
  }

  /** {@code Activation.RELU, 0f}: the activation argument pair of a kernel call. */
  public static CodeBlock act(Activation act) {
    return CodeBlock.of("$L, $L", activation(act), alpha(act));
  }

  /** {@code Activation.RELU}. */
  public static CodeBlock activation(Activation act) {
    return CodeBlock.of("$T.$L", RuntimeNames.ACTIVATION, act.kind().runtimeConstant());
  }

  /** LeakyReLU's slope as a float literal, {@code 0f} for the others. */
  public static String alpha(Activation act) {
    return act.kind() == ActivationKind.LEAKY_RELU ? floatLiteral(act.alpha()) : "0f";
  }

  /**
   * {@code 0.25f}, {@code 1.0E-5f}: the shortest float literal that reads back as {@code value},
   * so the generated code computes with exactly the float the processor checked.
   */
  public static String floatLiteral(float value) {
    return Float.toString(value) + "f";
  }

  /**
   * One sample's layout as buffer comments write it: {@code [120]} for a vector, {@code [16][64]}
   * for a sequence of 16 positions of 64 values (a token sequence's ids: {@code [16]}).
   */
  public static String sampleDims(Shape shape) {
    return shape.isRealSequence()
        ? "[" + shape.steps() + "][" + shape.features() + "]"
        : "[" + shape.size() + "]";
  }

  /** {@code ", @Relu"} or empty. */
  public static String actSuffix(Activation act) {
    return act.isNone() ? "" : ", " + act.display();
  }

  /**
   * He-uniform when the layer is followed by a ReLU-family activation, Glorot-uniform otherwise,
   * over {@code count} weights at {@code offset}; then a zero bias.
   */
  public static CodeBlock initWeights(
      LayerPlan p, String count, String fanIn, String fanOut, String biasCount) {
    Activation act = p.node().activation();
    CodeBlock.Builder code = CodeBlock.builder();
    String k = p.prefix();
    if (act.kind().reluFamily()) {
      String slope = alpha(act);
      code.addStatement(
          "$T.heUniform(params, $L_W, $L, $L, $L, rng)", RuntimeNames.INIT, k, count, fanIn, slope);
    } else {
      code.addStatement(
          "$T.glorotUniform(params, $L_W, $L, $L, $L, rng)", RuntimeNames.INIT, k, count, fanIn,
          fanOut);
    }
    return code.addStatement(
            "$T.fill(params, $L_B, $L_B + $L, 0f)", RuntimeNames.ARRAYS, k, k, biasCount)
        .build();
  }

  /** The offset of the weight in the parameters, as constant {@code P_W}, for a layer without bias. */
  public static FieldSpec weightOffset(LayerPlan p) {
    ParameterLayout layout = p.layout();
    if (layout.hasParts()) {
      StringBuilder parts = new StringBuilder();
      for (ParameterLayout.Part part : layout.parts()) {
        parts.append(parts.length() == 0 ? "" : ", ").append(layout.layer()).append('.')
            .append(part.name()).append(' ').append(ParameterLayout.dims(part.shape()));
      }
      return constant(p.prefix() + "_W", layout.weightOffset(), "Offset of " + parts
          + ", back to back, in parameters().");
    }
    return constant(p.prefix() + "_W", layout.weightOffset(), "Offset of " + layout.weightName()
        + " " + ParameterLayout.dims(layout.weightShape()) + " in parameters().");
  }

  /**
   * A weight table without bias, {@code count} values at {@code P_W}, drawn N(0, 1) as PyTorch's
   * {@code nn.Embedding} draws its weight.
   */
  public static CodeBlock normalWeights(LayerPlan p, String count) {
    return CodeBlock.builder()
        .addStatement("$T.normal(params, $L_W, $L, 1.0, rng)", RuntimeNames.INIT, p.prefix(),
            count)
        .build();
  }

  /**
   * Offsets of the weight and bias in the parameters, as constants {@code P_W} and {@code P_B},
   * from the layer's {@link LayerPlan#layout}.
   */
  public static FieldSpec[] offsets(LayerPlan p) {
    ParameterLayout layout = p.layout();
    return new FieldSpec[] {
      weightOffset(p),
      constant(p.prefix() + "_B", layout.biasOffset(), "Offset of " + layout.biasName() + " "
          + ParameterLayout.dims(layout.biasShape()) + " in parameters().")
    };
  }
}
