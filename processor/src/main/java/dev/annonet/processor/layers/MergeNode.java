package dev.annonet.processor.layers;

import dev.annonet.processor.Message;
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

  /** Checks each input against the first, then joins them. */
  @Override
  default Shape outputShape(ShapeContext c) {
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

  /** Why {@code other} cannot be merged with the first input, {@code first}; null if it can. */
  Mismatch mismatch(Shape first, Shape other);

  /** The output, given inputs that all match. */
  Shape joined(ShapeContext c);

  @Override
  default ParameterLayout parameters(Shape in) {
    return ParameterLayout.NONE;
  }
}
