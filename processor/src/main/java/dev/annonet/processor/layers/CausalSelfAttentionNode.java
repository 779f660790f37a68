package dev.annonet.processor.layers;

import static dev.annonet.processor.codegen.RuntimeNames.ATTENTION;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.Message;
import dev.annonet.processor.codegen.Buffer;
import dev.annonet.processor.codegen.Code;
import dev.annonet.processor.codegen.Graph;
import dev.annonet.processor.codegen.LayerPlan;
import dev.annonet.processor.codegen.RuntimeNames;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.ParameterLayout.Part;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;
import java.util.List;

/**
 * {@code @CausalSelfAttention(heads)}: PyTorch's {@code nn.MultiheadAttention} with a causal
 * mask, {@code seq T x d} to {@code seq T x d}, on the runtime's {@code Attention} kernels.
 */
public record CausalSelfAttentionNode(String name, int heads, Origin origin)
    implements LayerNode {

  /** The parameters' names and order in PyTorch's {@code state_dict}. */
  private static final String[] PARTS = {
    "in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"
  };

  /** The constants of the four offsets, in {@link #PARTS}' order. */
  private static final String[] OFFSETS = {"_IN_W", "_IN_B", "_OUT_W", "_OUT_B"};

  @Override
  public String kind() {
    return "CausalSelfAttention";
  }

  @Override
  public Activation activation() {
    return Activation.none(origin);
  }

  // ---- Reading

  /** Reads {@code @CausalSelfAttention(heads)}: heads positive, no activation. */
  static CausalSelfAttentionNode read(LayerReading r) {
    int heads = r.settings().intValue("heads");
    r.positive(r.origin().at("heads"), "@CausalSelfAttention heads of", heads, "heads = 4");
    if (!r.activation().isNone()) {
      r.error(r.activation().origin(), Message.ACTIVATION_ON_ATTENTION,
          r.activation().display(), r.name(), r.activation().display(), r.name());
    }
    return new CausalSelfAttentionNode(r.name(), heads, r.origin());
  }

  // ---- Shape rule and parameters

  @Override
  public boolean hasParameters() {
    return true;
  }

  /**
   * Takes a real sequence {@code seq T x d} whose width the heads divide; outputs the same shape.
   */
  @Override
  public Shape outputShape(ShapeContext c) {
    if (!c.realSequenceInput(this)) {
      return null;
    }
    Shape in = c.in();
    int d = in.features();
    if (heads > 0 && d % heads != 0) {
      c.error(origin.at("heads"), Message.HEADS_NOT_DIVIDING, name, heads, d, in, c.from(),
          nearestHeads(d, heads), heads, c.trace());
      return null;
    }
    long work = heads > 0 ? workPerSample(in.steps(), d, heads) : 0;
    if (work > Integer.MAX_VALUE - 8) {
      c.outputTooLarge(this, in + " and keeps a work buffer of 8Td + heads T(T+1)", work);
      return null;
    }
    return in;
  }

  /** {@code heads = 4 or heads = 8}: the divisors of d nearest below and above {@code heads}. */
  static String nearestHeads(int d, int heads) {
    int below = Math.min(heads, d);
    while (d % below != 0) {
      below--;
    }
    int above = heads + 1;
    while (above <= d && d % above != 0) {
      above++;
    }
    return "heads = " + below + (above <= d ? " or heads = " + above : "");
  }

  /**
   * Floats per sample of the kernels' work buffer, {@code Attention.workSize(1, t, d, heads)}:
   * qkv and its gradient {@code [T][3d]} each, y and its gradient {@code [T][d]} each, the
   * probabilities and their gradient, a triangle of {@code T(T+1)/2} per head each.
   */
  static long workPerSample(int t, int d, int heads) {
    return 8L * t * d + (long) heads * t * (t + 1);
  }

  /**
   * As {@code nn.MultiheadAttention(d, heads)}: {@code in_proj_weight [3d][d]}, {@code
   * in_proj_bias [3d]}, {@code out_proj.weight [d][d]}, {@code out_proj.bias [d]}, back to back.
   */
  @Override
  public ParameterLayout parameters(Shape in) {
    if (!in.isRealSequence()) {
      return ParameterLayout.NONE;
    }
    int d = in.features();
    if (4L * d * d + 4L * d > Integer.MAX_VALUE) {
      // Too many for one array: the checker reports the count, (4d + 4) x d.
      return ParameterLayout.of(name, new int[] {4 * d + 4, d}, null);
    }
    return ParameterLayout.ofParts(name,
        new Part(PARTS[0], new int[] {3 * d, d}),
        new Part(PARTS[1], new int[] {3 * d}),
        new Part(PARTS[2], new int[] {d, d}),
        new Part(PARTS[3], new int[] {d}));
  }

  /** The projections, {@code 4 T d^2}, and the scores and weighted sums, {@code d T(T+1)}. */
  @Override
  public long multiplyAdds(Shape in, Shape out) {
    long t = in.steps();
    long d = in.features();
    return 4 * t * d * d + d * t * (t + 1);
  }

  @Override
  public String smallerOutput() {
    return "a shorter sequence or fewer heads";
  }

  @Override
  public String fewerParameters() {
    return "a narrower input";
  }

  // ---- Code: one kernel call each way, the work buffer saving what backward reads

  /** {@code attn: CausalSelfAttention seq 16x32, 4 heads of 8}. */
  private String banner(LayerPlan p) {
    return p.name() + ": CausalSelfAttention " + p.shape() + ", " + heads + " heads of "
        + p.shape().features() / heads;
  }

  private static String work(LayerPlan p) {
    return p.ident() + "Work";
  }

  @Override
  public List<FieldSpec> constants(LayerPlan p) {
    String k = p.prefix();
    ParameterLayout layout = p.layout();
    FieldSpec[] list = new FieldSpec[4 + PARTS.length];
    list[0] = Code.constant(k + "_STEPS", p.shape().steps(), "Positions of " + banner(p) + ".");
    list[1] = Code.constant(k + "_DIM", p.shape().features(), "Values per position of "
        + p.name() + ".");
    list[2] = Code.constant(k + "_HEADS", heads, "Heads of " + p.name() + ", each attending with "
        + k + "_DIM / " + k + "_HEADS values.");
    list[3] = Code.weightOffset(p);
    for (int i = 0; i < PARTS.length; i++) {
      Part part = layout.parts().get(i);
      list[4 + i] = Code.constant(k + OFFSETS[i],
          layout.weightOffset() + layout.offsetInLayer(part), "Offset of " + p.name() + "."
              + part.name() + " " + ParameterLayout.dims(part.shape()) + " in parameters().");
    }
    return List.of(list);
  }

  @Override
  public List<Buffer> buffers(LayerPlan p) {
    long size = workPerSample(p.shape().steps(), p.shape().features(), heads);
    return List.of(Buffer.perSample(work(p), "What " + p.name() + "'s forward saves (qkv, the"
        + " attention probabilities, the heads' outputs) and its backward's scratch,"
        + " Attention.workSize per sample", (int) size));
  }

  /**
   * As PyTorch's {@code MultiheadAttention._reset_parameters}: Xavier-uniform {@code
   * in_proj_weight} (fan in d, fan out 3d), {@code out_proj.weight} as {@code nn.Linear} draws
   * it, zero biases.
   */
  @Override
  public CodeBlock initialize(LayerPlan p) {
    String k = p.prefix();
    return CodeBlock.builder()
        .addStatement("$T.glorotUniform(params, $L_IN_W, 3 * $L_DIM * $L_DIM, $L_DIM, 3 * $L_DIM,"
            + " rng)", RuntimeNames.INIT, k, k, k, k, k)
        .addStatement("$T.fill(params, $L_IN_B, $L_IN_B + 3 * $L_DIM, 0f)", RuntimeNames.ARRAYS,
            k, k, k)
        .addStatement("$T.linearUniform(params, $L_OUT_W, $L_DIM * $L_DIM, $L_DIM, rng)",
            RuntimeNames.INIT, k, k, k, k)
        .addStatement("$T.fill(params, $L_OUT_B, $L_OUT_B + $L_DIM, 0f)", RuntimeNames.ARRAYS,
            k, k, k)
        .build();
  }

  @Override
  public CodeBlock forward(LayerPlan p) {
    String k = p.prefix();
    return CodeBlock.builder()
        .add("// $L; $L: [batch]$L\n", banner(p), p.value(), Code.sampleDims(p.shape()))
        .addStatement("$T.forward($L, params, $L_IN_W, $L_IN_B, $L_OUT_W, $L_OUT_B, $L, $L,"
                + " batch, $L_STEPS, $L_DIM, $L_HEADS, $L)",
            ATTENTION, p.in().value(), k, k, k, k, p.value(), work(p), k, k, k,
            Code.act(p.producer()))
        .build();
  }

  @Override
  public CodeBlock backward(LayerPlan p, Graph g) {
    String k = p.prefix();
    String target = g.gradientTarget(p, 0);
    return CodeBlock.builder()
        .add("// $L\n", banner(p))
        .addStatement("$T.backward($L, grads, $L, $L, params, $L_IN_W, $L_IN_B, $L_OUT_W,"
                + " $L_OUT_B, $L, batch, $L_STEPS, $L_DIM, $L_HEADS, $L)",
            ATTENTION, target == null ? "null" : target, p.grad(), p.in().value(), k, k, k, k,
            work(p), k, k, k, Code.act(p.in().producer()))
        .add(target == null ? CodeBlock.of("") : g.accumulate(p, 0))
        .build();
  }
}
