package dev.annonet.processor.layers;

import static dev.annonet.processor.codegen.RuntimeNames.EMBEDDING;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.Message;
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

/** {@code @Embedding(dim)}: token ids to vectors, PyTorch's {@code nn.Embedding(V, dim)}. */
public record EmbeddingNode(String name, int dim, Origin origin) implements LayerNode {

  @Override
  public String kind() {
    return "Embedding";
  }

  @Override
  public Activation activation() {
    return Activation.none(origin);
  }

  // ---- Reading

  /** Reads {@code @Embedding(dim)}: a positive width, and no activation. */
  static EmbeddingNode read(LayerReading r) {
    r.noActivation("Embedding");
    int dim = r.settings().intValue("value");
    r.positive(r.origin().atValue(), "@Embedding", dim, "@Embedding(64)");
    return new EmbeddingNode(r.name(), dim, r.origin());
  }

  // ---- Shape rule and parameters

  @Override
  public boolean hasParameters() {
    return true;
  }

  /** Takes token ids {@code tokens T (vocab V)}; outputs {@code seq T x dim}. */
  @Override
  public Shape outputShape(ShapeContext c) {
    Shape in = c.in();
    if (!in.isTokens()) {
      c.error(origin, Message.EMBEDDING_NEEDS_TOKENS, name, c.from(), in, name, c.trace());
      return null;
    }
    return dim > 0 ? in.withFeatures(dim) : null;
  }

  /** PyTorch's Embedding: weight {@code [V][dim]}, no bias. */
  @Override
  public ParameterLayout parameters(Shape in) {
    return in.isTokens()
        ? ParameterLayout.of(name, new int[] {in.vocabulary(), Math.max(dim, 0)}, null)
        : ParameterLayout.NONE;
  }

  @Override
  public String smallerOutput() {
    return "a smaller dim";
  }

  @Override
  public String fewerParameters() {
    return "a smaller dim or vocabulary";
  }

  // ---- Code: a row copy per position forward, a scatter-add backward

  /** {@code emb: Embedding 65 tokens -> 32 values at each of 16 steps}. */
  private static String banner(LayerPlan p) {
    return p.name() + ": Embedding " + p.inShape().vocabulary() + " tokens -> "
        + p.shape().features() + " values at each of " + p.shape().steps() + " steps";
  }

  @Override
  public List<FieldSpec> constants(LayerPlan p) {
    String k = p.prefix();
    return List.of(
        Code.constant(k + "_STEPS", p.shape().steps(), "Positions of " + banner(p) + "."),
        Code.constant(k + "_VOCABULARY", p.inShape().vocabulary(), "Token ids of " + p.name()
            + "."),
        Code.constant(k + "_DIM", p.shape().features(), "Values per position of " + p.name()
            + "."),
        Code.weightOffset(p));
  }

  /** N(0, 1), as PyTorch's {@code nn.Embedding}. */
  @Override
  public CodeBlock initialize(LayerPlan p) {
    return Code.normalWeights(p, p.prefix() + "_VOCABULARY * " + p.prefix() + "_DIM");
  }

  @Override
  public CodeBlock forward(LayerPlan p) {
    String k = p.prefix();
    return CodeBlock.builder()
        .add("// $L; $L: [batch]$L\n", banner(p), p.value(), Code.sampleDims(p.shape()))
        .addStatement("$T.forward($L, params, $L_W, $L, batch, $L_STEPS, $L_VOCABULARY, $L_DIM)",
            EMBEDDING, p.in().value(), k, p.value(), k, k, k)
        .build();
  }

  /** The ids are data: only the weight's gradient. */
  @Override
  public CodeBlock backward(LayerPlan p, Graph g) {
    String k = p.prefix();
    return CodeBlock.builder()
        .add("// $L\n", banner(p))
        .addStatement("$T.backward($L, $L, grads, $L_W, batch, $L_STEPS, $L_VOCABULARY, $L_DIM)",
            EMBEDDING, p.grad(), p.in().value(), k, k, k, k)
        .build();
  }

  @Override
  public CodeBlock backwardBySlice(LayerPlan p, Graph g) {
    String k = p.prefix();
    return CodeBlock.builder()
        .add("// $L; each slice's gradient from its samples\n", banner(p))
        .add(Code.eachSlice("$T.backward($L, $L, slices.sliceStart(s), slices.sliceGradients(s),"
            + " $L_W, slices.sliceRows(s), $L_STEPS, $L_VOCABULARY, $L_DIM)",
            EMBEDDING, p.grad(), p.in().value(), k, k, k, k))
        .build();
  }
}
