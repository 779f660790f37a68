package dev.annonet.processor.shapes;

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
 */
public record ParameterLayout(String layer, int offset, int[] weightShape, int[] biasShape) {

  /** The layout of a layer without parameters. */
  public static final ParameterLayout NONE = new ParameterLayout(null, -1, null, null);

  /** The weight and bias of layer {@code layer}, not yet placed (offset 0). */
  public static ParameterLayout of(String layer, int[] weightShape, int[] biasShape) {
    return new ParameterLayout(layer, 0, weightShape, biasShape);
  }

  /** This layout placed at {@code offset}. */
  ParameterLayout at(int offset) {
    return isEmpty() ? this : new ParameterLayout(layer, offset, weightShape, biasShape);
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
