package dev.annonet.processor.layers;

import com.palantir.javapoet.CodeBlock;
import dev.annonet.processor.Message;
import dev.annonet.processor.codegen.Buffer;
import dev.annonet.processor.codegen.Code;
import dev.annonet.processor.codegen.Graph;
import dev.annonet.processor.codegen.LayerPlan;
import dev.annonet.processor.codegen.RuntimeNames;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;

/** {@code @BatchNorm} or {@code @LayerNorm}: normalisation with a learnt scale and shift. */
public sealed interface NormNode extends LayerNode permits BatchNormNode, LayerNormNode {

  /** Added to the variance before the square root. */
  float eps();

  // ---- Reading

  /** Reads {@code eps} of {@code @BatchNorm} or {@code @LayerNorm} ({@code kind}): positive. */
  static float readEps(LayerReading r, String kind) {
    double eps = r.settings().doubleValue("eps");
    String bad = LayerReading.rejected(eps, e -> e > 0 && !Double.isInfinite(e));
    if (bad != null) {
      r.error(r.origin().at("eps"), Message.NORM_SETTING, kind, r.name(), "eps", "positive", bad);
    }
    return (float) eps;
  }

  // ---- Shape rule and parameters

  @Override
  default boolean hasParameters() {
    return true;
  }

  /** Any shape of real values, unchanged. */
  @Override
  default Shape outputShape(ShapeContext c) {
    return c.realValues(this) ? c.in() : null;
  }

  // ---- Code shared by both norms

  /** {@code bn: BatchNorm 16x8x8 over 16 channels, @Relu}. */
  String banner(LayerPlan p);

  /** The constant counting the scales (and shifts): {@code BN_C} or {@code LN_SIZE}. */
  String scaleCount(LayerPlan p);

  /** The normalised input, saved for backward. */
  default Buffer xhat(LayerPlan p) {
    return Buffer.perSample(p.ident() + "Xhat", "The normalised input, saved for backward",
        p.size());
  }

  /** Scales start at 1, shifts at 0, as in PyTorch. */
  @Override
  default CodeBlock initialize(LayerPlan p) {
    String k = p.prefix();
    return CodeBlock.builder()
        .addStatement("$T.fill(params, $L_W, $L_W + $L, 1f)", RuntimeNames.ARRAYS, k, k,
            scaleCount(p))
        .addStatement("$T.fill(params, $L_B, $L_B + $L, 0f)", RuntimeNames.ARRAYS, k, k,
            scaleCount(p))
        .build();
  }

  @Override
  default CodeBlock forward(LayerPlan p) {
    return CodeBlock.builder()
        .add("// $L; $L: [batch]$L\n", banner(p), p.value(), Code.sampleDims(p.shape()))
        .add(forwardCalls(p, Code.floatLiteral(eps())))
        .build();
  }

  /** The forward kernel calls, {@code eps} written as a float literal. */
  CodeBlock forwardCalls(LayerPlan p, String eps);

  @Override
  default CodeBlock backward(LayerPlan p, Graph g) {
    String target = g.gradientTarget(p, 0);
    CodeBlock.Builder code = CodeBlock.builder().add("// $L\n", banner(p))
        .add(backwardCalls(p, target == null ? "null" : target));
    if (target != null) {
      code.add(g.accumulate(p, 0));
    }
    return code.build();
  }

  /** The backward kernel calls, writing the input's gradient into {@code dIn} (or "null"). */
  CodeBlock backwardCalls(LayerPlan p, String dIn);
}
