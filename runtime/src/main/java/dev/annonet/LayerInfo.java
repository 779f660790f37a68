package dev.annonet;

import java.util.Arrays;

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
 */
public record LayerInfo(
    String name,
    String kind,
    String activation,
    int[] shape,
    int weightOffset,
    int[] weightShape,
    int biasOffset,
    int biasSize) {

  /** Number of weight elements (the product of {@link #weightShape()}). */
  public int weightSize() {
    int n = weightShape.length == 0 ? 0 : 1;
    for (int d : weightShape) {
      n *= d;
    }
    return n;
  }

  /** Number of parameters of this layer. */
  public int parameterCount() {
    return weightSize() + biasSize;
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
        + shapeString() + " weight" + Arrays.toString(weightShape) + "@" + weightOffset
        + " bias[" + biasSize + "]@" + biasOffset;
  }
}
