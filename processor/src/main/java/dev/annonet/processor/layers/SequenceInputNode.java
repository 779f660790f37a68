package dev.annonet.processor.layers;

import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.Shape;

/**
 * {@code @SequenceInput(length, features)}: a real sequence {@code [length][features]}.
 *
 * @param length positions per sample, T
 * @param features Values per position.
 */
public record SequenceInputNode(String name, int length, int features, Origin origin)
    implements InputLayer {

  @Override
  public String kind() {
    return "SequenceInput";
  }

  // ---- Reading

  /** Reads {@code @SequenceInput}: both settings positive, and no activation. */
  static SequenceInputNode read(LayerReading r) {
    int[] settings = InputLayer.readSequence(r, "SequenceInput", "features", "@SequenceInput(length = 32, features = 8)");
    return new SequenceInputNode(r.name(), settings[0], settings[1], r.origin());
  }

  // ---- Shape rule and parameters: its own shape; the code: none (see InputLayer)

  /** Its own shape, unless a setting is not positive (already reported). */
  @Override
  public Shape shapeWithoutInput() {
    return length > 0 && features > 0 ? Shape.sequence(length, features) : null;
  }
}
