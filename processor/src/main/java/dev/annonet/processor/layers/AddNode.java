package dev.annonet.processor.layers;

import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;
import java.util.List;

/** {@code @Add(from = ...)}: a residual sum of outputs of the same shape. */
public record AddNode(String name, List<String> from, Activation activation, Origin origin)
    implements MergeNode {

  @Override
  public String kind() {
    return "Add";
  }

  /** Reads {@code @Add(from = ...)}; the names are checked with the shapes. */
  static AddNode read(LayerReading r) {
    return new AddNode(r.name(), r.settings().strings("from"), r.activation(), r.origin());
  }

  @Override
  public Mismatch mismatch(Shape first, Shape other) {
    return other.equals(first) ? null : new Mismatch("adds outputs of the same shape",
        "make both the same shape, e.g. with a @Dense(" + first.size() + ") on the branch");
  }

  /** The shape of each input. */
  @Override
  public Shape joined(ShapeContext c) {
    return c.in();
  }
}
