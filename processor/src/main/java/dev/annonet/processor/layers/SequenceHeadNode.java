package dev.annonet.processor.layers;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.codegen.Code;
import dev.annonet.processor.codegen.Graph;
import dev.annonet.processor.codegen.LayerPlan;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;
import java.util.List;

/**
 * {@code @LastStep} or {@code @MeanOverSteps}: a real sequence {@code [T][d]} reduced to a vector
 * {@code [d]}, without parameters.
 */
public sealed interface SequenceHeadNode extends LayerNode
    permits LastStepNode, MeanOverStepsNode {

  /** The kernel class, with {@code forward(in, out, batch, steps, features)} and backward. */
  ClassName kernel();

  /** What the banner says the head takes: {@code the last of} or {@code the mean over}. */
  String what();

  @Override
  default Activation activation() {
    return Activation.none(origin());
  }

  // ---- Shape rule and parameters

  @Override
  default boolean hasParameters() {
    return false;
  }

  /** Takes a real sequence {@code seq T x d}; outputs the vector {@code d}. */
  @Override
  default Shape outputShape(ShapeContext c) {
    return c.realSequenceInput(this) ? Shape.vector(c.in().features()) : null;
  }

  @Override
  default ParameterLayout parameters(Shape in) {
    return ParameterLayout.NONE;
  }

  // ---- Code: one kernel call each way

  /** {@code last: LastStep, the last of 16 steps of 32 values}. */
  default String banner(LayerPlan p) {
    return p.name() + ": " + kind() + ", " + what() + " " + p.inShape().steps() + " steps of "
        + p.size() + " values";
  }

  @Override
  default List<FieldSpec> constants(LayerPlan p) {
    String k = p.prefix();
    return List.of(
        Code.constant(k + "_STEPS", p.inShape().steps(), "Positions read by " + banner(p) + "."),
        Code.constant(k + "_FEATURES", p.size(), "Values per position of " + p.name() + "."));
  }

  @Override
  default CodeBlock forward(LayerPlan p) {
    String k = p.prefix();
    return CodeBlock.builder()
        .add("// $L; $L: [batch][$L]\n", banner(p), p.value(), p.size())
        .addStatement("$T.forward($L, $L, batch, $L_STEPS, $L_FEATURES)", kernel(),
            p.in().value(), p.value(), k, k)
        .build();
  }

  /** Nothing when the input is the data; else the input's gradient and any sum of branches. */
  @Override
  default CodeBlock backward(LayerPlan p, Graph g) {
    String target = g.gradientTarget(p, 0);
    if (target == null) {
      return CodeBlock.of("");
    }
    String k = p.prefix();
    return CodeBlock.builder()
        .add("// $L\n", banner(p))
        .addStatement("$T.backward($L, $L, $L, batch, $L_STEPS, $L_FEATURES, $L)", kernel(),
            p.grad(), p.in().value(), target, k, k, Code.act(p.in().producer()))
        .add(g.accumulate(p, 0))
        .build();
  }
}
