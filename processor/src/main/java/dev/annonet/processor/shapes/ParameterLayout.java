package dev.annonet.processor.shapes;

import java.util.List;

/**
 * One layer's slice of the model's parameter buffer, laid out as PyTorch lays it out: the weight
 * (a norm's scale) at {@link #offset}, then the bias (a norm's shift), each with its
 * {@code state_dict} name. Computed once, by {@link ShapeChecker}, and carried by
 * {@link CheckedNetwork}: the summary, the generator's constants and {@code LayerInfo}, and the
 * kernels' offsets all read it.
 *
 * @param layer the layer's field name
 * @param offset where the weight starts in the parameters
 * @param weightShape the weight's shape, e.g. {@code [out][in]} for a dense layer
 * @param biasShape the bias's shape, e.g. {@code [out]}, or null for a layer without bias (an
 *     embedding)
 * @param parts for a layer whose parameters are several PyTorch tensors rather than one weight and
 *     one bias (an LSTM's {@code weight_ih_l0} ... {@code bias_hh_l0}), those tensors back to back
 *     in {@code state_dict} order; the weight is then all of them as one flat block and there is
 *     no bias. Empty for the other layers.
 */
public record ParameterLayout(
    String layer, int offset, int[] weightShape, int[] biasShape, List<Part> parts) {

  /** The layout of a layer without parameters. */
  public static final ParameterLayout NONE = new ParameterLayout(null, -1, null, null, List.of());

  /**
   * One tensor of a layer whose parameters are several, e.g. {@code weight_hh_l0 [4H][H]}.
   *
   * @param name the name within the layer, as PyTorch's {@code state_dict} gives it after the
   *     layer's own name
   * @param shape the shape as PyTorch gives it
   */
  public record Part(String name, int[] shape) {
    public long count() {
      return product(shape);
    }
  }

  public ParameterLayout {
    parts = List.copyOf(parts);
  }

  /** The weight and bias of layer {@code layer}, not yet placed (offset 0). */
  public static ParameterLayout of(String layer, int[] weightShape, int[] biasShape) {
    return new ParameterLayout(layer, 0, weightShape, biasShape, List.of());
  }

  /**
   * The parameters of layer {@code layer} as the given tensors back to back, not yet placed
   * (offset 0).
   */
  public static ParameterLayout ofParts(String layer, Part... parts) {
    long total = 0;
    for (Part part : parts) {
      total += part.count();
    }
    if (parts.length == 0 || total > Integer.MAX_VALUE) {
      // The checker reports layers too large before laying them out.
      throw new IllegalArgumentException(layer + ": " + total + " parameters in "
          + parts.length + " parts");
    }
    return new ParameterLayout(layer, 0, new int[] {(int) total}, null, List.of(parts));
  }

  /** This layout placed at {@code offset}. */
  ParameterLayout at(int offset) {
    return isEmpty() ? this : new ParameterLayout(layer, offset, weightShape, biasShape, parts);
  }

  /** Whether the parameters are several named tensors ({@link #parts}), not a weight and bias. */
  public boolean hasParts() {
    return !parts.isEmpty();
  }

  /** Offset of {@code part} from the layer's first parameter. */
  public int offsetInLayer(Part part) {
    long at = 0;
    for (Part p : parts) {
      if (p == part) {
        return (int) at;
      }
      at += p.count();
    }
    throw new IllegalArgumentException(part.name() + " is not a part of " + layer);
  }

  public boolean isEmpty() {
    return weightShape == null;
  }

  /** {@code hidden.weight}. */
  public String weightName() {
    return layer + ".weight";
  }

  /** {@code hidden.bias}. */
  public String biasName() {
    return layer + ".bias";
  }

  /** Offset of the weight in the parameters, or -1 for none. */
  public int weightOffset() {
    return offset;
  }

  /** Offset of the bias in the parameters, or -1 for none. */
  public int biasOffset() {
    return isEmpty() || biasShape == null ? -1 : offset + (int) weightCount();
  }

  /** Number of weights (0 for none); a long, since a layer that is too large is reported. */
  public long weightCount() {
    return product(weightShape);
  }

  public long biasCount() {
    return product(biasShape);
  }

  /** Number of parameters: weights and biases. */
  public long count() {
    return weightCount() + biasCount();
  }

  private static long product(int[] dims) {
    if (dims == null) {
      return 0;
    }
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  /** A shape as generated comments write it: {@code [120][256]}. */
  public static String dims(int[] dims) {
    StringBuilder s = new StringBuilder();
    for (int d : dims) {
      s.append('[').append(d).append(']');
    }
    return s.toString();
  }
}
