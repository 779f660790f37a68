package dev.annonet.processor.layers;

import dev.annonet.processor.Message;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;

/** {@code @Dropout(p)}: inverted dropout, active in training mode only. */
public record DropoutNode(String name, float p, Origin origin) implements LayerNode {

  @Override
  public String kind() {
    return "Dropout";
  }

  @Override
  public Activation activation() {
    return Activation.none(origin);
  }

  /** Reads {@code @Dropout(p)}: p in [0, 1) as a float, and no activation. */
  static DropoutNode read(LayerReading r) {
    r.noActivation("Dropout");
    double written = r.settings().doubleValue("value");
    String bad = LayerReading.rejected(written, p -> p >= 0 && p < 1);
    if (bad != null) {
      r.error(r.origin().atValue(), Message.DROPOUT_RATE, bad, r.name());
    }
    return new DropoutNode(r.name(), (float) written, r.origin());
  }

  @Override
  public boolean hasParameters() {
    return false;
  }

  /** Any shape, unchanged. */
  @Override
  public Shape outputShape(ShapeContext c) {
    return c.in();
  }

  @Override
  public ParameterLayout parameters(Shape in) {
    return ParameterLayout.NONE;
  }
}
