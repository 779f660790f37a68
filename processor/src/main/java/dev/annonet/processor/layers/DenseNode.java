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

  /** Takes a vector (an image needs {@code @Flatten} first); outputs {@code units}. */
  @Override
  public Shape outputShape(ShapeContext c) {
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
    return ParameterLayout.of(name, new int[] {out, in.size()}, new int[] {out});
  }

  @Override
  public long multiplyAdds(Shape in, Shape out) {
    return in.longSize() * Math.max(units, 0);
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

  /** {@code f1: Dense 256 -> 120, @Relu}. */
  private static String banner(LayerPlan p) {
    return p.name() + ": Dense " + p.inShape().size() + " -> " + p.size()
        + Code.actSuffix(p.node().activation());
  }

  @Override
  public List<FieldSpec> constants(LayerPlan p) {
    FieldSpec[] offsets = Code.offsets(p);
    return List.of(
        Code.constant(p.prefix() + "_IN", p.inShape().size(), "Inputs of " + banner(p) + "."),
        Code.constant(p.prefix() + "_OUT", p.size(), "Outputs of " + p.name() + "."),
        offsets[0],
        offsets[1]);
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
        .add("// $L; $L: [batch][$L]\n", banner(p), p.value(), p.size())
        .addStatement(
            "$T.forward($L, params, $L_W, $L_B, $L, batch, $L_IN, $L_OUT, $L)",
            DENSE, p.in().value(), k, k, p.value(), k, k, Code.act(p.producer()))
        .build();
  }

  @Override
  public CodeBlock backward(LayerPlan p, Graph g) {
    String k = p.prefix();
    CodeBlock.Builder code = CodeBlock.builder().add("// $L\n", banner(p));
    code.addStatement(
        "$T.backwardParams($L, $L, grads, $L_W, $L_B, batch, $L_IN, $L_OUT)",
        DENSE, p.grad(), p.in().value(), k, k, k, k);
    String target = g.gradientTarget(p, 0);
    if (target != null) {
      code.addStatement(
          "$T.backwardInput($L, params, $L_W, $L, $L, batch, $L_IN, $L_OUT, $L)",
          DENSE, p.grad(), k, p.in().value(), target, k, k, Code.act(p.in().producer()));
      code.add(g.accumulate(p, 0));
    }
    return code.build();
  }
}
