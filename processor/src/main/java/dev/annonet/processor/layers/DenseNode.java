package dev.annonet.processor.layers;

import dev.annonet.processor.Message;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;

/** {@code @Dense(units)}: a fully connected layer. */
public record DenseNode(String name, int units, Activation activation, Origin origin)
    implements LayerNode {

  @Override
  public String kind() {
    return "Dense";
  }

  /** Reads {@code @Dense(units)}: a positive number of units. */
  static DenseNode read(LayerReading r) {
    int units = r.settings().intValue("value");
    r.positive(r.origin().atValue(), "@Dense", units, "@Dense(10)");
    return new DenseNode(r.name(), units, r.activation(), r.origin());
  }

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
}
