package dev.annonet.processor.layers;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.Message;
import dev.annonet.processor.codegen.Code;
import dev.annonet.processor.codegen.Graph;
import dev.annonet.processor.codegen.LayerPlan;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code @Add(from = ...)} or {@code @Concat(from = ...)}: the previous layer's output combined
 * with the outputs of earlier layers named in {@code from}.
 */
public sealed interface MergeNode extends LayerNode permits AddNode, ConcatNode {

  /** The earlier layers named, in order. */
  List<String> from();

  // ---- Shape rule and parameters

  @Override
  default boolean hasParameters() {
    return false;
  }

  /** Why a merge cannot take its inputs, and how to fix it, as its message reads. */
  record Mismatch(String problem, String fix) {}

  /** The previous layer, then the layers named in {@code from}, each once and declared before. */
  @Override
  default List<Integer> inputs(ShapeContext c) {
    int i = c.index();
    if (from().isEmpty()) {
      String before = c.nameOf(i - 1);
      c.error(origin().at("from"), Message.EMPTY_MERGE, kind(), name(), before, kind(),
          i >= 2 ? c.nameOf(i - 2) : before);
      return null;
    }
    List<Integer> in = new ArrayList<>();
    in.add(i - 1);
    boolean ok = true;
    Set<String> named = new HashSet<>();
    for (String from : from()) {
      int j = c.indexOf(from);
      if (!named.add(from)) {
        c.error(origin().at("from"), Message.REPEATED_MERGE_INPUT, kind(), name(), from);
        ok = false;
      } else if (j < 0) {
        String hint = c.nearestName(from);
        c.error(
            origin().at("from"),
            Message.UNKNOWN_FIELD,
            kind(),
            name(),
            from,
            c.networkName(),
            hint == null ? "" : ": did you mean '" + hint + "'?");
        ok = false;
      } else if (j >= i) {
        c.error(
            origin().at("from"),
            Message.FORWARD_REFERENCE,
            kind(),
            name(),
            from,
            j == i ? "itself (a cycle)" : "which is declared after it");
        ok = false;
      } else {
        in.add(j);
      }
    }
    return ok ? in : null;
  }

  /** Checks the first input, then each other input against it, then joins them. */
  @Override
  default Shape outputShape(ShapeContext c) {
    if (!accepts(c)) {
      return null;
    }
    Shape first = c.in();
    for (int k = 1; k < c.inputCount(); k++) {
      Shape other = c.inputShape(k);
      if (other == null) {
        return null;
      }
      Mismatch mismatch = mismatch(first, other);
      if (mismatch != null) {
        c.error(origin().at("from"), Message.MERGE_SHAPE_MISMATCH, kind(), name(),
            mismatch.problem(), c.from(), first, c.inputName(k), other, mismatch.fix(),
            c.trace());
        return null;
      }
    }
    return joined(c);
  }

  /** Whether the first input is of a kind this merge takes; reports it if not. */
  boolean accepts(ShapeContext c);

  /** Why {@code other} cannot be merged with the first input, {@code first}; null if it can. */
  Mismatch mismatch(Shape first, Shape other);

  /** The output, given inputs that all match. */
  Shape joined(ShapeContext c);

  @Override
  default ParameterLayout parameters(Shape in) {
    return ParameterLayout.NONE;
  }

  // ---- Code shared by both merges

  /** How the banner joins input names: {@code " + "} or {@code " | "}. */
  String joiner();

  /** {@code sum: Add a + b -> 64, @Relu}. */
  default String banner(LayerPlan p) {
    StringBuilder s = new StringBuilder(p.name()).append(": ").append(kind()).append(' ');
    for (int j = 0; j < p.inputs().size(); j++) {
      s.append(j == 0 ? "" : joiner()).append(p.inputs().get(j).name());
    }
    return s.append(" -> ").append(p.shape()).append(Code.actSuffix(activation())).toString();
  }

  @Override
  default List<FieldSpec> constants(LayerPlan p) {
    return List.of(Code.constant(p.prefix() + "_SIZE", p.size(), "Values per sample of "
        + banner(p) + "."));
  }

  /** The opening comment, then {@link #forwardCalls}. */
  @Override
  default CodeBlock forward(LayerPlan p) {
    CodeBlock.Builder code = CodeBlock.builder()
        .add("// $L; $L: [batch]$L\n", banner(p), p.value(), Code.sampleDims(p.shape()));
    forwardCalls(p, code, "batch * " + p.prefix() + "_SIZE");
    return code.build();
  }

  /** Adds the forward kernel calls to {@code code}; {@code n} counts the output's floats. */
  void forwardCalls(LayerPlan p, CodeBlock.Builder code, String n);

  /** For each input {@code j}, its gradient from the output's at {@code offset} floats. */
  @Override
  default CodeBlock backward(LayerPlan p, Graph g) {
    CodeBlock.Builder code = CodeBlock.builder().add("// $L\n", banner(p));
    int offset = 0;
    for (int j = 0; j < p.inputs().size(); j++) {
      LayerPlan input = p.inputs().get(j);
      String target = g.gradientTarget(p, j);
      if (target != null) {
        code.addStatement(backwardCall(p, input, target, offset));
        code.add(g.accumulate(p, j));
      }
      offset += input.size();
    }
    return code.build();
  }

  /** The kernel call writing {@code input}'s gradient into {@code target}. */
  CodeBlock backwardCall(LayerPlan p, LayerPlan input, String target, int offset);
}
