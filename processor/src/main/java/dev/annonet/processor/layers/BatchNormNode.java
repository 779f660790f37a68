package dev.annonet.processor.layers;

import static dev.annonet.processor.codegen.RuntimeNames.BATCH_NORM;
import static dev.annonet.processor.codegen.RuntimeNames.BATCH_NORM_INFERENCE;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.Message;
import dev.annonet.processor.codegen.Buffer;
import dev.annonet.processor.codegen.Code;
import dev.annonet.processor.codegen.LayerPlan;
import dev.annonet.processor.codegen.RuntimeNames;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;
import java.util.List;

/**
 * {@code @BatchNorm(momentum, eps)}: statistics per channel over the batch in training mode,
 * running statistics in inference mode.
 */
public record BatchNormNode(
    String name, float momentum, float eps, Activation activation, Origin origin)
    implements NormNode {

  @Override
  public String kind() {
    return "BatchNorm";
  }

  // ---- Reading

  /** Reads {@code @BatchNorm(momentum, eps)}: momentum in (0, 1], eps positive. */
  static BatchNormNode read(LayerReading r) {
    double momentum = r.settings().doubleValue("momentum");
    String bad = LayerReading.rejected(momentum, m -> m > 0 && m <= 1);
    if (bad != null) {
      r.error(r.origin().at("momentum"), Message.NORM_SETTING, "BatchNorm", r.name(), "momentum",
          "in (0, 1]", bad);
    }
    float eps = NormNode.readEps(r, "BatchNorm");
    return new BatchNormNode(r.name(), (float) momentum, eps, r.activation(), r.origin());
  }

  // ---- Shape rule and parameters

  /** A vector or an image, unchanged; a sequence is refused (its statistics are per position). */
  @Override
  public Shape outputShape(ShapeContext c) {
    return c.vectorOrImageInput(this, "a vector or an image",
        "use @LayerNorm, which normalises each position's values") ? c.in() : null;
  }

  /** PyTorch's BatchNorm: weight (scale) and bias (shift) {@code [channels]}. */
  @Override
  public ParameterLayout parameters(Shape in) {
    int channels = in.dims()[0];
    return ParameterLayout.of(name, new int[] {channels}, new int[] {channels});
  }

  // ---- Code: batch statistics in training mode, running ones in inference mode

  /** Channels: an image's first dimension, a vector's every value. */
  private static int channels(LayerPlan p) {
    return p.shape().dims()[0];
  }

  @Override
  public String banner(LayerPlan p) {
    return p.name() + ": BatchNorm " + p.shape() + " over " + channels(p) + " channels"
        + Code.actSuffix(activation);
  }

  @Override
  public String scaleCount(LayerPlan p) {
    return p.prefix() + "_C";
  }

  @Override
  public List<FieldSpec> constants(LayerPlan p) {
    String k = p.prefix();
    FieldSpec[] offsets = Code.offsets(p);
    return List.of(
        Code.constant(k + "_C", channels(p), "Channels of " + banner(p) + "."),
        Code.constant(k + "_SPATIAL", p.size() / channels(p), "Values per channel."),
        offsets[0],
        offsets[1]);
  }

  @Override
  public List<Buffer> buffers(LayerPlan p) {
    String n = p.ident();
    return List.of(
        xhat(p),
        Buffer.fixed(n + "InvStd", "1 / sqrt(batch variance + eps) per channel", channels(p)),
        Buffer.state(n + "RunningMean", "Running mean per channel", channels(p),
            p.name() + ".running_mean"),
        Buffer.state(n + "RunningVar", "Running (unbiased) variance per channel", channels(p),
            p.name() + ".running_var"));
  }

  /** Scale 1, shift 0, running mean 0 and running variance 1, as in PyTorch. */
  @Override
  public CodeBlock initialize(LayerPlan p) {
    return NormNode.super.initialize(p).toBuilder()
        .addStatement("$T.fill($LRunningMean, 0f)", RuntimeNames.ARRAYS, p.ident())
        .addStatement("$T.fill($LRunningVar, 1f)", RuntimeNames.ARRAYS, p.ident())
        .build();
  }

  @Override
  public CodeBlock forwardCalls(LayerPlan p, String eps) {
    String k = p.prefix();
    String n = p.ident();
    return CodeBlock.builder()
        .beginControlFlow("if (training)")
        .addStatement(
            "$T.forwardTrain($L, params, $L_W, $L_B, $L, $LXhat, $LInvStd, $LRunningMean,"
                + " $LRunningVar, batch, $L_C, $L_SPATIAL, $L, $L, $L)",
            BATCH_NORM, p.in().value(), k, k, p.value(), n, n, n, n, k, k,
            Code.floatLiteral(momentum), eps, Code.act(p.producer()))
        .nextControlFlow("else")
        .addStatement(
            "$T.forwardEval($L, params, $L_W, $L_B, $L, $LRunningMean, $LRunningVar, batch, $L_C,"
                + " $L_SPATIAL, $L, $L)",
            BATCH_NORM, p.in().value(), k, k, p.value(), n, n, k, k, eps, Code.act(p.producer()))
        .endControlFlow()
        .build();
  }

  @Override
  public CodeBlock backwardCalls(LayerPlan p, String dIn) {
    String k = p.prefix();
    String n = p.ident();
    return CodeBlock.builder()
        .beginControlFlow("if (training)")
        .addStatement(
            "$T.backward($L, $LXhat, $LInvStd, params, $L_W, $L_B, grads, $L, $L, batch, $L_C,"
                + " $L_SPATIAL, $L)",
            BATCH_NORM, p.grad(), n, n, k, k, p.in().value(), dIn, k, k,
            Code.act(p.in().producer()))
        .nextControlFlow("else")
        .addStatement(
            "$T.backward($L, $L, params, $L_W, $L_B, grads, $LRunningMean, $LRunningVar, $L,"
                + " batch, $L_C, $L_SPATIAL, $L, $L)",
            BATCH_NORM_INFERENCE, p.grad(), p.in().value(), k, k, n, n, dIn, k, k,
            Code.floatLiteral(eps), Code.act(p.in().producer()))
        .endControlFlow()
        .build();
  }
}
