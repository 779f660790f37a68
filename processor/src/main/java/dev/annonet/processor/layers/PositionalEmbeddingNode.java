package dev.annonet.processor.layers;

import static dev.annonet.processor.codegen.RuntimeNames.MERGE;
import static dev.annonet.processor.codegen.RuntimeNames.POSITIONAL_EMBEDDING;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.codegen.Code;
import dev.annonet.processor.codegen.Graph;
import dev.annonet.processor.codegen.LayerPlan;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;
import java.util.List;

/** {@code @PositionalEmbedding}: a learned table {@code [T][d]} added to a sequence. */
public record PositionalEmbeddingNode(String name, Origin origin) implements LayerNode {

  @Override
  public String kind() {
    return "PositionalEmbedding";
  }

  @Override
  public Activation activation() {
    return Activation.none(origin);
  }

  // ---- Reading

  /** Reads {@code @PositionalEmbedding}: no settings, no activation. */
  static PositionalEmbeddingNode read(LayerReading r) {
    r.noActivation("PositionalEmbedding");
    return new PositionalEmbeddingNode(r.name(), r.origin());
  }

  // ---- Shape rule and parameters

  @Override
  public boolean hasParameters() {
    return true;
  }

  /** Takes a real sequence {@code seq T x d}; outputs the same shape. */
  @Override
  public Shape outputShape(ShapeContext c) {
    return c.realSequenceInput(this) ? c.in() : null;
  }

  /** As PyTorch's {@code nn.Embedding(T, d)} indexed by position: weight {@code [T][d]}. */
  @Override
  public ParameterLayout parameters(Shape in) {
    return in.isRealSequence()
        ? ParameterLayout.of(name, new int[] {in.steps(), in.features()}, null)
        : ParameterLayout.NONE;
  }

  // ---- Code: one add per value forward, a sum over the batch backward

  /** {@code pos: PositionalEmbedding seq 16x32}. */
  private static String banner(LayerPlan p) {
    return p.name() + ": PositionalEmbedding " + p.shape();
  }

  @Override
  public List<FieldSpec> constants(LayerPlan p) {
    String k = p.prefix();
    return List.of(
        Code.constant(k + "_STEPS", p.shape().steps(), "Positions of " + banner(p) + "."),
        Code.constant(k + "_DIM", p.shape().features(), "Values per position of " + p.name()
            + "."),
        Code.weightOffset(p));
  }

  /** N(0, 1), as PyTorch's {@code nn.Embedding} and as {@code @Embedding}. */
  @Override
  public CodeBlock initialize(LayerPlan p) {
    return Code.normalWeights(p, p.prefix() + "_STEPS * " + p.prefix() + "_DIM");
  }

  @Override
  public CodeBlock forward(LayerPlan p) {
    String k = p.prefix();
    return CodeBlock.builder()
        .add("// $L; $L: [batch]$L\n", banner(p), p.value(), Code.sampleDims(p.shape()))
        .addStatement("$T.forward($L, params, $L_W, $L, batch, $L_STEPS, $L_DIM)",
            POSITIONAL_EMBEDDING, p.in().value(), k, p.value(), k, k)
        .build();
  }

  @Override
  public CodeBlock backward(LayerPlan p, Graph g) {
    String k = p.prefix();
    String target = g.gradientTarget(p, 0);
    return CodeBlock.builder()
        .add("// $L\n", banner(p))
        .addStatement("$T.backward($L, $L, $L, grads, $L_W, batch, $L_STEPS, $L_DIM, $L)",
            POSITIONAL_EMBEDDING, p.grad(), p.in().value(), target == null ? "null" : target, k,
            k, k, Code.act(p.in().producer()))
        .add(target == null ? CodeBlock.of("") : g.accumulate(p, 0))
        .build();
  }

  @Override
  public CodeBlock backwardBySlice(LayerPlan p, Graph g) {
    String k = p.prefix();
    String target = g.gradientTarget(p, 0);
    CodeBlock.Builder code = CodeBlock.builder()
        .add("// $L; each slice's gradient from its samples\n", banner(p))
        .add(Code.eachSlice("$T.backwardParams($L, slices.sliceStart(s), slices.sliceGradients(s),"
            + " $L_W, slices.sliceRows(s), $L_STEPS, $L_DIM)", POSITIONAL_EMBEDDING, p.grad(), k,
            k, k));
    if (target != null) {
      // The input's gradient is the one an addend receives: the table only adds to it.
      code.addStatement("$T.addBackward($L, $L, $L, batch * $L_STEPS * $L_DIM, $L)",
              MERGE, p.grad(), p.in().value(), target, k, k, Code.act(p.in().producer()))
          .add(g.accumulate(p, 0));
    }
    return code.build();
  }
}
