package dev.annonet.processor.codegen;

import static dev.annonet.processor.codegen.RuntimeNames.BATCH_NORM;
import static dev.annonet.processor.codegen.RuntimeNames.BATCH_NORM_INFERENCE;
import static dev.annonet.processor.codegen.RuntimeNames.LAYER_NORM;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.layers.BatchNormNode;
import dev.annonet.processor.layers.NormNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Code for {@code @BatchNorm} (per channel; batch statistics in training mode, running ones in
 * inference mode) and {@code @LayerNorm} (per sample).
 */
final class NormEmitter implements LayerEmitter {

  private static NormNode norm(LayerPlan p) {
    return (NormNode) p.node();
  }

  private static boolean batch(LayerPlan p) {
    return p.node() instanceof BatchNormNode;
  }

  /** Channels: an image's first dimension, a vector's every value. */
  private static int channels(LayerPlan p) {
    return p.shape().isVector() ? p.size() : p.shape().dims()[0];
  }

  static String banner(LayerPlan p) {
    NormNode n = norm(p);
    return p.name() + ": " + n.kind() + " " + p.shape()
        + (batch(p) ? " over " + channels(p) + " channels" : "")
        + Code.actSuffix(n.activation());
  }

  @Override
  public List<FieldSpec> constants(LayerPlan p) {
    String k = p.prefix();
    FieldSpec[] offsets = Code.offsets(p);
    List<FieldSpec> list = new ArrayList<>();
    if (batch(p)) {
      list.add(Code.constant(k + "_C", channels(p), "Channels of " + banner(p) + "."));
      list.add(Code.constant(k + "_SPATIAL", p.size() / channels(p), "Values per channel."));
    } else {
      list.add(Code.constant(k + "_SIZE", p.size(), "Values per sample of " + banner(p) + "."));
    }
    list.add(offsets[0]);
    list.add(offsets[1]);
    return list;
  }

  @Override
  public List<Buffer> buffers(LayerPlan p) {
    String n = p.ident();
    List<Buffer> list = new ArrayList<>();
    list.add(Buffer.perSample(n + "Xhat", "The normalised input, saved for backward", p.size()));
    if (batch(p)) {
      list.add(Buffer.fixed(n + "InvStd", "1 / sqrt(batch variance + eps) per channel",
          channels(p)));
      list.add(Buffer.state(n + "RunningMean", "Running mean per channel", channels(p),
          p.name() + ".running_mean"));
      list.add(Buffer.state(n + "RunningVar", "Running (unbiased) variance per channel",
          channels(p), p.name() + ".running_var"));
    } else {
      list.add(Buffer.perSample(n + "InvStd", "1 / sqrt(variance + eps) per sample", 1));
    }
    return list;
  }

  @Override
  public CodeBlock initialize(LayerPlan p) {
    String k = p.prefix();
    String c = batch(p) ? k + "_C" : k + "_SIZE";
    CodeBlock.Builder code = CodeBlock.builder()
        .addStatement("$T.fill(params, $L_W, $L_W + $L, 1f)", RuntimeNames.ARRAYS, k, k, c)
        .addStatement("$T.fill(params, $L_B, $L_B + $L, 0f)", RuntimeNames.ARRAYS, k, k, c);
    if (batch(p)) {
      code.addStatement("$T.fill($LRunningMean, 0f)", RuntimeNames.ARRAYS, p.ident())
          .addStatement("$T.fill($LRunningVar, 1f)", RuntimeNames.ARRAYS, p.ident());
    }
    return code.build();
  }

  @Override
  public CodeBlock forward(LayerPlan p) {
    String k = p.prefix();
    String n = p.ident();
    NormNode norm = norm(p);
    String eps = Code.floatLiteral(norm.eps());
    CodeBlock.Builder code = CodeBlock.builder()
        .add("// $L; $L: [batch][$L]\n", banner(p), p.value(), p.size());
    if (!batch(p)) {
      return code.addStatement(
              "$T.forward($L, params, $L_W, $L_B, $L, $LXhat, $LInvStd, batch, $L_SIZE, $L, $L)",
              LAYER_NORM, p.in().value(), k, k, p.value(), n, n, k, eps, Code.act(p.producer()))
          .build();
    }
    return code.beginControlFlow("if (training)")
        .addStatement(
            "$T.forwardTrain($L, params, $L_W, $L_B, $L, $LXhat, $LInvStd, $LRunningMean,"
                + " $LRunningVar, batch, $L_C, $L_SPATIAL, $L, $L, $L)",
            BATCH_NORM, p.in().value(), k, k, p.value(), n, n, n, n, k, k,
            Code.floatLiteral(((BatchNormNode) norm).momentum()), eps, Code.act(p.producer()))
        .nextControlFlow("else")
        .addStatement(
            "$T.forwardEval($L, params, $L_W, $L_B, $L, $LRunningMean, $LRunningVar, batch, $L_C,"
                + " $L_SPATIAL, $L, $L)",
            BATCH_NORM, p.in().value(), k, k, p.value(), n, n, k, k, eps, Code.act(p.producer()))
        .endControlFlow()
        .build();
  }

  @Override
  public CodeBlock backward(LayerPlan p, Graph g) {
    String k = p.prefix();
    String n = p.ident();
    String target = g.gradientTarget(p, 0);
    String dIn = target == null ? "null" : target;
    CodeBlock.Builder code = CodeBlock.builder().add("// $L\n", banner(p));
    if (!batch(p)) {
      code.addStatement(
          "$T.backward($L, $LXhat, $LInvStd, params, $L_W, $L_B, grads, $L, $L, batch, $L_SIZE,"
              + " $L)",
          LAYER_NORM, p.grad(), n, n, k, k, p.in().value(), dIn, k, Code.act(p.in().producer()));
    } else {
      code.beginControlFlow("if (training)")
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
              Code.floatLiteral(norm(p).eps()), Code.act(p.in().producer()))
          .endControlFlow();
    }
    if (target != null) {
      code.add(g.accumulate(p, 0));
    }
    return code.build();
  }
}
