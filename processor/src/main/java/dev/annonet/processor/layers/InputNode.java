package dev.annonet.processor.layers;

import dev.annonet.processor.Message;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.Shape;

/** {@code @Input(shape)}: a vector {@code [n]} or an image {@code [c, h, w]}. */
public record InputNode(String name, int[] shape, Origin origin) implements InputLayer {

  @Override
  public String kind() {
    return "Input";
  }

  // ---- Reading

  /** Reads {@code @Input(shape)}: one size or three, all positive, and no activation. */
  static InputNode read(LayerReading r) {
    String name = r.name();
    Origin origin = r.origin();
    int[] shape = r.settings().intArray("value");
    if (shape.length != 1 && shape.length != 3) {
      r.error(origin.atValue(), Message.INPUT_SHAPE, name, shape.length);
    } else {
      for (int size : shape) {
        if (size <= 0) {
          String example = shape.length == 1 ? "@Input(64)" : "@Input({1, 28, 28})";
          r.error(origin.atValue(), Message.NON_POSITIVE_SIZE, "@Input", name, size, example);
          break;
        }
      }
    }
    InputLayer.noActivation(r);
    return new InputNode(name, shape, origin);
  }

  // ---- Shape rule and parameters: its own shape; the code: none (see InputLayer)

  /** Its own shape, unless that is not one size or three, all positive (already reported). */
  @Override
  public Shape shapeWithoutInput() {
    if (shape.length != 1 && shape.length != 3) {
      return null;
    }
    for (int d : shape) {
      if (d <= 0) {
        return null;
      }
    }
    return new Shape(shape.clone());
  }
}
