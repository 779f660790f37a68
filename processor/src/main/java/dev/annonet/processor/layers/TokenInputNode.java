package dev.annonet.processor.layers;

import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.Shape;

/**
 * {@code @TokenInput(length, vocabulary)}: {@code length} token ids, each in {@code [0, vocabulary)}.
 *
 * @param length positions per sample, T
 * @param vocabulary Number of distinct ids, V.
 */
public record TokenInputNode(String name, int length, int vocabulary, Origin origin)
    implements InputLayer {

  @Override
  public String kind() {
    return "TokenInput";
  }

  // ---- Reading

  /** Reads {@code @TokenInput}: both settings positive, and no activation. */
  static TokenInputNode read(LayerReading r) {
    int[] settings = InputLayer.readSequence(r, "TokenInput", "vocabulary", "@TokenInput(length = 64, vocabulary = 65)");
    return new TokenInputNode(r.name(), settings[0], settings[1], r.origin());
  }

  // ---- Shape rule and parameters: its own shape; the code: none (see InputLayer)

  /** Its own shape, unless a setting is not positive (already reported). */
  @Override
  public Shape shapeWithoutInput() {
    return length > 0 && vocabulary > 0 ? Shape.tokens(length, vocabulary) : null;
  }
}
