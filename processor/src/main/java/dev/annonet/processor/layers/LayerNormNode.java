package dev.annonet.processor.layers;

import static dev.annonet.processor.codegen.RuntimeNames.LAYER_NORM;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.codegen.Buffer;
import dev.annonet.processor.codegen.Code;
import dev.annonet.processor.codegen.Graph;
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

  /**
   * PyTorch's LayerNorm over the whole sample, weight and bias shaped as one sample; over each
   * position of a sequence, as {@code nn.LayerNorm(d)} on {@code [B, T, d]}: weight and bias
   * {@code [d]}.
   */
  @Override
  public ParameterLayout parameters(Shape in) {
    int n = normalized(in);
    return ParameterLayout.of(name, new int[] {n}, new int[] {n});
  }

  /** The values normalised together: a position's for a sequence, else the whole sample's. */
  private static int normalized(Shape s) {
    return s.isRealSequence() ? s.features() : s.size();
  }

  /** Groups of values normalised on their own per sample: a sequence's positions, else 1. */
  private static int groups(Shape s) {
    return s.isRealSequence() ? s.steps() : 1;
  }

  // ---- Code: statistics per sample, the same in training and inference mode

  @Override
  public String banner(LayerPlan p) {
    return p.name() + ": LayerNorm " + p.shape()
        + (groups(p.shape()) == 1 ? "" : " over each position's " + normalized(p.shape())
            + " values")
        + Code.actSuffix(activation);
  }

  @Override
  public String scaleCount(LayerPlan p) {
    return p.prefix() + "_SIZE";
  }

  @Override
  public List<FieldSpec> constants(LayerPlan p) {
    FieldSpec[] offsets = Code.offsets(p);
    int groups = groups(p.shape());
    if (groups == 1) {
      return List.of(
          Code.constant(p.prefix() + "_SIZE", p.size(), "Values per sample of " + banner(p)
              + "."),
          offsets[0],
          offsets[1]);
    }
    return List.of(
        Code.constant(p.prefix() + "_SIZE", normalized(p.shape()), "Values per position of "
            + banner(p) + "."),
        Code.constant(p.prefix() + "_STEPS", groups, "Positions of " + p.name()
            + ", each normalised on its own."),
        offsets[0],
        offsets[1]);
  }

  @Override
  public List<Buffer> buffers(LayerPlan p) {
    int groups = groups(p.shape());
    return List.of(
        xhat(p),
        Buffer.perSample(p.ident() + "InvStd", "1 / sqrt(variance + eps) per "
            + (groups == 1 ? "sample" : "position"), groups));
  }

  /** The kernels' rows: {@code batch}, or {@code batch * LN_STEPS} for a sequence. */
  private static String rows(LayerPlan p) {
    return groups(p.shape()) == 1 ? "batch" : "batch * " + p.prefix() + "_STEPS";
  }

  @Override
  public CodeBlock forwardCalls(LayerPlan p, String eps) {
    String k = p.prefix();
    String n = p.ident();
    return CodeBlock.builder()
        .addStatement(
            "$T.forward($L, params, $L_W, $L_B, $L, $LXhat, $LInvStd, $L, $L_SIZE, $L, $L)",
            LAYER_NORM, p.in().value(), k, k, p.value(), n, n, rows(p), k, eps,
            Code.act(p.producer()))
        .build();
  }

  @Override
  public CodeBlock backwardBySlice(LayerPlan p, Graph g) {
    String k = p.prefix();
    String n = p.ident();
    String perRow = groups(p.shape()) == 1 ? "" : " * " + k + "_STEPS";
    String target = g.gradientTarget(p, 0);
    CodeBlock.Builder code = CodeBlock.builder()
        .add("// $L; each slice's gradient from its rows\n", banner(p))
        .add(Code.eachSlice("$T.backwardParams($L, $LXhat, slices.sliceStart(s)$L,"
            + " slices.sliceGradients(s), $L_W, $L_B, slices.sliceRows(s)$L, $L_SIZE)",
            LAYER_NORM, p.grad(), n, perRow, k, k, perRow, k));
    if (target != null) {
      code.addStatement("$T.backwardInput($L, $LXhat, $LInvStd, params, $L_W, $L, $L, $L,"
              + " $L_SIZE, $L)", LAYER_NORM, p.grad(), n, n, k, p.in().value(), target, rows(p),
              k, Code.act(p.in().producer()))
          .add(g.accumulate(p, 0));
    }
    return code.build();
  }

  @Override
  public CodeBlock backwardCalls(LayerPlan p, String dIn) {
    String k = p.prefix();
    String n = p.ident();
    return CodeBlock.builder()
        .addStatement(
            "$T.backward($L, $LXhat, $LInvStd, params, $L_W, $L_B, grads, $L, $L, $L, $L_SIZE,"
                + " $L)",
            LAYER_NORM, p.grad(), n, n, k, k, p.in().value(), dIn, rows(p), k,
            Code.act(p.in().producer()))
        .build();
  }
}
