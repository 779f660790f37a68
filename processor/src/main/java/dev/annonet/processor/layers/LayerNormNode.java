package dev.annonet.processor.layers;

import static dev.annonet.processor.codegen.RuntimeNames.LAYER_NORM;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.codegen.Buffer;
import dev.annonet.processor.codegen.Code;
import dev.annonet.processor.codegen.LayerPlan;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;
import java.util.List;

/** {@code @LayerNorm(eps)}: statistics per sample. */
public record LayerNormNode(String name, float eps, Activation activation, Origin origin)
    implements NormNode {

  @Override
  public String kind() {
    return "LayerNorm";
  }

  // ---- Reading

  /** Reads {@code @LayerNorm(eps)}: eps positive. */
  static LayerNormNode read(LayerReading r) {
    return new LayerNormNode(
        r.name(), NormNode.readEps(r, "LayerNorm"), r.activation(), r.origin());
  }

  // ---- Shape rule and parameters

  /** PyTorch's LayerNorm over the whole sample: weight and bias shaped as one sample. */
  @Override
  public ParameterLayout parameters(Shape in) {
    return ParameterLayout.of(name, new int[] {in.size()}, new int[] {in.size()});
  }

  // ---- Code: statistics per sample, the same in training and inference mode

  @Override
  public String banner(LayerPlan p) {
    return p.name() + ": LayerNorm " + p.shape() + Code.actSuffix(activation);
  }

  @Override
  public String scaleCount(LayerPlan p) {
    return p.prefix() + "_SIZE";
  }

  @Override
  public List<FieldSpec> constants(LayerPlan p) {
    FieldSpec[] offsets = Code.offsets(p);
    return List.of(
        Code.constant(p.prefix() + "_SIZE", p.size(), "Values per sample of " + banner(p) + "."),
        offsets[0],
        offsets[1]);
  }

  @Override
  public List<Buffer> buffers(LayerPlan p) {
    return List.of(
        xhat(p),
        Buffer.perSample(p.ident() + "InvStd", "1 / sqrt(variance + eps) per sample", 1));
  }

  @Override
  public CodeBlock forwardCalls(LayerPlan p, String eps) {
    String k = p.prefix();
    String n = p.ident();
    return CodeBlock.builder()
        .addStatement(
            "$T.forward($L, params, $L_W, $L_B, $L, $LXhat, $LInvStd, batch, $L_SIZE, $L, $L)",
            LAYER_NORM, p.in().value(), k, k, p.value(), n, n, k, eps, Code.act(p.producer()))
        .build();
  }

  @Override
  public CodeBlock backwardCalls(LayerPlan p, String dIn) {
    String k = p.prefix();
    String n = p.ident();
    return CodeBlock.builder()
        .addStatement(
            "$T.backward($L, $LXhat, $LInvStd, params, $L_W, $L_B, grads, $L, $L, batch, $L_SIZE,"
                + " $L)",
            LAYER_NORM, p.grad(), n, n, k, k, p.in().value(), dIn, k, Code.act(p.in().producer()))
        .build();
  }
}
