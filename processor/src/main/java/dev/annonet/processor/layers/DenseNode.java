package dev.annonet.processor.layers;

import static dev.annonet.processor.codegen.RuntimeNames.DENSE;

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
import java.util.ArrayList;
import java.util.List;

/** {@code @Dense(units)}: a fully connected layer. */
public record DenseNode(String name, int units, Activation activation, Origin origin)
    implements LayerNode {

  @Override
  public String kind() {
    return "Dense";
  }

  // ---- Reading

  /** Reads {@code @Dense(units)}: a positive number of units. */
  static DenseNode read(LayerReading r) {
    int units = r.settings().intValue("value");
    r.positive(r.origin().atValue(), "@Dense", units, "@Dense(10)");
    return new DenseNode(r.name(), units, r.activation(), r.origin());
  }

  // ---- Shape rule and parameters

  @Override
  public boolean hasParameters() {
    return true;
  }

  /**
   * Takes a vector (an image needs {@code @Flatten} first) and outputs {@code units}, or takes a
   * real sequence {@code seq T x d} and outputs {@code seq T x units}, as {@code nn.Linear} on
   * {@code [B, T, d]} (token ids need an {@code @Embedding} first).
   */
  @Override
  public Shape outputShape(ShapeContext c) {
    if (!c.realValues(this)) {
      return null;
    }
    if (c.in().isRealSequence()) {
      return units > 0 ? c.in().withFeatures(units) : null;
    }
    if (!c.in().isVector()) {
      c.error(origin, Message.FLATTEN_NEEDED, name, c.from(), c.in(), name, c.trace());
    }
    return shapeWithoutInput();
  }

  @Override
  public Shape shapeWithoutInput() {
    return units > 0 ? Shape.vector(units) : null;
  }

  /** PyTorch's Linear: weight {@code [out][in]}, bias {@code [out]}. */
  @Override
  public ParameterLayout parameters(Shape in) {
    int out = Math.max(units, 0);
    return ParameterLayout.of(name, new int[] {out, in.isRealSequence() ? in.features() : in.size()},
        new int[] {out});
  }

  @Override
  public long multiplyAdds(Shape in, Shape out) {
    return in.longSize() * Math.max(units, 0);
  }

  /** Positions the layer runs at: a sequence's steps, 1 for a vector. */
  private static int steps(LayerPlan p) {
    return p.shape().isSequence() ? p.shape().steps() : 1;
  }

  /** The kernels' rows: {@code batch}, or {@code batch * F1_STEPS} at every position. */
  private static String rows(LayerPlan p) {
    return steps(p) == 1 ? "batch" : "batch * " + p.prefix() + "_STEPS";
  }

  @Override
  public String smallerOutput() {
    return "fewer units";
  }

  @Override
  public String fewerParameters() {
    return "fewer units, or a smaller input";
  }

  // ---- Code: one fused kernel call each way

  /** {@code f1: Dense 256 -> 120, @Relu}, or {@code ... -> 120 at each of 16 steps, @Relu}. */
  private static String banner(LayerPlan p) {
    return p.name() + ": Dense " + p.inShape().features() + " -> " + p.shape().features()
        + (steps(p) == 1 ? "" : " at each of " + steps(p) + " steps")
        + Code.actSuffix(p.node().activation());
  }

  @Override
  public List<FieldSpec> constants(LayerPlan p) {
    FieldSpec[] offsets = Code.offsets(p);
    List<FieldSpec> list = new ArrayList<>();
    list.add(Code.constant(p.prefix() + "_IN", p.inShape().features(), "Inputs of " + banner(p)
        + (steps(p) == 1 ? "." : ", per position.")));
    list.add(Code.constant(p.prefix() + "_OUT", p.shape().features(), "Outputs of " + p.name()
        + (steps(p) == 1 ? "." : ", per position.")));
    if (steps(p) > 1) {
      list.add(Code.constant(p.prefix() + "_STEPS", steps(p), "Positions of " + p.name()
          + ", each one row of the kernels."));
    }
    list.add(offsets[0]);
    list.add(offsets[1]);
    return list;
  }

  @Override
  public CodeBlock initialize(LayerPlan p) {
    String k = p.prefix();
    return Code.initWeights(p, k + "_IN * " + k + "_OUT", k + "_IN", k + "_OUT", k + "_OUT");
  }

  @Override
  public CodeBlock forward(LayerPlan p) {
    String k = p.prefix();
    return CodeBlock.builder()
        .add("// $L; $L: [batch]$L\n", banner(p), p.value(), Code.sampleDims(p.shape()))
        .addStatement(
            "$T.forward($L, params, $L_W, $L_B, $L, $L, $L_IN, $L_OUT, $L)",
            DENSE, p.in().value(), k, k, p.value(), rows(p), k, k, Code.act(p.producer()))
        .build();
  }

  @Override
  public CodeBlock backward(LayerPlan p, Graph g) {
    String k = p.prefix();
    CodeBlock.Builder code = CodeBlock.builder().add("// $L\n", banner(p));
    code.addStatement(
        "$T.backwardParams($L, $L, grads, $L_W, $L_B, $L, $L_IN, $L_OUT)",
        DENSE, p.grad(), p.in().value(), k, k, rows(p), k, k);
    return code.add(backwardInput(p, g)).build();
  }

  @Override
  public CodeBlock backwardBySlice(LayerPlan p, Graph g) {
    String k = p.prefix();
    String perRow = steps(p) == 1 ? "" : " * " + k + "_STEPS";
    return CodeBlock.builder()
        .add("// $L; each slice's parameter gradient from its rows\n", banner(p))
        .add(Code.eachSlice("$T.backwardParams($L, $L, slices.sliceStart(s)$L,"
            + " slices.sliceGradients(s), $L_W, $L_B, slices.sliceRows(s)$L, $L_IN, $L_OUT)",
            DENSE, p.grad(), p.in().value(), perRow, k, k, perRow, k, k))
        .add(backwardInput(p, g))
        .build();
  }

  /** The input's gradient, on all rows at once, where {@link Graph#gradientTarget} says. */
  private static CodeBlock backwardInput(LayerPlan p, Graph g) {
    String k = p.prefix();
    CodeBlock.Builder code = CodeBlock.builder();
    String target = g.gradientTarget(p, 0);
    if (target != null) {
      code.addStatement(
          "$T.backwardInput($L, params, $L_W, $L, $L, $L, $L_IN, $L_OUT, $L)",
          DENSE, p.grad(), k, p.in().value(), target, rows(p), k, k,
          Code.act(p.in().producer()));
      code.add(g.accumulate(p, 0));
    }
    return code.build();
  }
}
