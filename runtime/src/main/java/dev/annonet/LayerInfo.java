package dev.annonet;

import java.util.Arrays;
import java.util.List;

/**
 * One layer of a generated model, as the generated class describes itself, so that summaries
 * and model files need no reflection.
 *
 * @param name the field name, also the prefix of parameter names ({@code f1.weight})
 * @param kind the layer annotation's simple name, e.g. {@code "Dense"}
 * @param activation the activation's simple name, or {@code ""} for none
 * @param shape the output shape of one sample, e.g. {@code [120]} or {@code [6, 24, 24]}
 * @param weightOffset offset of the weight in the flat parameter buffer, or -1
 * @param weightShape the weight's shape as PyTorch gives it, e.g. {@code [out, in]}, or empty
 * @param biasOffset offset of the bias in the flat parameter buffer, or -1
 * @param biasSize number of bias elements, or 0
 * @param tensors every parameter tensor of the layer as PyTorch's {@code state_dict} names it,
 *     in file order: {@code weight} and {@code bias} for most layers; for layers whose
 *     parameters are not one weight and one bias (an LSTM's {@code weight_ih_l0} ...
 *     {@code bias_hh_l0}, attention's {@code in_proj_weight} ... {@code out_proj.bias}) the
 *     weight and bias offsets are -1 and only this list describes them
 */
public record LayerInfo(
    String name,
    String kind,
    String activation,
    int[] shape,
    int weightOffset,
    int[] weightShape,
    int biasOffset,
    int biasSize,
    List<Tensor> tensors) {

  /**
   * One parameter tensor of a layer, a slice of the flat parameter buffer.
   *
   * @param name the name within the layer, e.g. {@code weight} or {@code weight_ih_l0}; model
   *     files call it {@code <layer>.<name>}
   * @param offset offset in the flat parameter buffer
   * @param shape the shape as PyTorch gives it
   */
  public record Tensor(String name, int offset, int[] shape) {
    /** Number of elements (the product of the shape). */
    public int size() {
      return product(shape);
    }

    @Override
    public String toString() {
      return name + Arrays.toString(shape) + "@" + offset;
    }
  }

  /** Copies {@code tensors}, so that the record is immutable. */
  public LayerInfo {
    tensors = List.copyOf(tensors);
  }

  /**
   * A layer with at most one weight and one bias (offset -1 for none), named {@code weight} and
   * {@code bias} as in PyTorch's {@code nn.Linear} and {@code nn.Conv2d}.
   */
  public LayerInfo(String name, String kind, String activation, int[] shape, int weightOffset,
      int[] weightShape, int biasOffset, int biasSize) {
    this(name, kind, activation, shape, weightOffset, weightShape, biasOffset, biasSize,
        weightAndBias(weightOffset, weightShape, biasOffset, biasSize));
  }

  /**
   * A layer whose parameters are the given tensors (an LSTM's four, attention's four), with no
   * single weight and bias.
   */
  public static LayerInfo ofTensors(String name, String kind, String activation, int[] shape,
      Tensor... tensors) {
    return new LayerInfo(name, kind, activation, shape, -1, new int[0], -1, 0, List.of(tensors));
  }

  private static List<Tensor> weightAndBias(int weightOffset, int[] weightShape, int biasOffset,
      int biasSize) {
    List<Tensor> tensors = new java.util.ArrayList<>(2);
    if (weightOffset >= 0) {
      tensors.add(new Tensor("weight", weightOffset, weightShape));
    }
    if (biasOffset >= 0) {
      tensors.add(new Tensor("bias", biasOffset, new int[] {biasSize}));
    }
    return tensors;
  }

  /** Number of weight elements (the product of {@link #weightShape()}). */
  public int weightSize() {
    return weightShape.length == 0 ? 0 : product(weightShape);
  }

  /** Number of parameters of this layer: the elements of all its {@link #tensors()}. */
  public int parameterCount() {
    int n = 0;
    for (Tensor t : tensors) {
      n += t.size();
    }
    return n;
  }

  /** The name model files give {@code tensor}: {@code <layer>.<tensor>}, e.g. {@code f1.weight}. */
  public String fileName(Tensor tensor) {
    return name + "." + tensor.name();
  }

  private static int product(int[] dims) {
    int n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  /** The output shape written as {@code 6x24x24}. */
  public String shapeString() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < shape.length; i++) {
      s.append(i == 0 ? "" : "x").append(shape[i]);
    }
    return s.toString();
  }

  /**
   * The layer as model files and checkpoints record it, e.g. {@code hidden Dense+Relu 128}: its
   * name, kind, activation and output shape.
   */
  public String summary() {
    return name + " " + kind + (activation.isEmpty() ? "" : "+" + activation) + " "
        + shapeString();
  }

  /** The summaries of {@code layers}, in order, separated by {@code ", "}. */
  public static String summary(java.util.List<LayerInfo> layers) {
    StringBuilder s = new StringBuilder();
    for (LayerInfo layer : layers) {
      s.append(s.length() == 0 ? "" : ", ").append(layer.summary());
    }
    return s.toString();
  }

  @Override
  public String toString() {
    return name + " " + kind + (activation.isEmpty() ? "" : "+" + activation) + " "
        + shapeString() + " " + tensors;
  }
}
