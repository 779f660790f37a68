package dev.annonet.processor.codegen;

import dev.annonet.processor.layers.FlattenNode;
import dev.annonet.processor.layers.InputLayer;
import dev.annonet.processor.layers.LayerNode;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;
import java.util.List;

/**
 * What the generator knows of one layer: its constants' prefix, its shapes, the layers it reads,
 * the buffers holding its output and that output's gradient, and its slice of the parameter
 * buffer.
 *
 * @param ident the layer's name in generated identifiers: its field name, unless that would clash
 *     with another layer's or a generated constant (then made unique with its index)
 * @param inputs the layers it reads, as {@link Graph} resolves them (a flatten is not a layer
 *     of its own: it names its source's buffer)
 * @param value the buffer holding this layer's output ({@code x} for the input)
 * @param grad the buffer holding the gradient of the loss with respect to this layer's output
 *     before its activation, or null for the input (with an activation the layer applies itself,
 *     {@link #kept}, its readers write the gradient after it, which the layer's backward first
 *     turns into the one before)
 * @param producer the activation fused where {@link #value} was computed, whose derivative its
 *     readers fuse into their backward ({@link dev.annonet.processor.model.Activation#fused})
 * @param layout its slice of the parameters, as the checker laid them out
 */
public record LayerPlan(
    LayerNode node,
    int index,
    String ident,
    String prefix,
    Shape shape,
    Shape inShape,
    List<LayerPlan> inputs,
    String value,
    String grad,
    Activation producer,
    ParameterLayout layout) {

  boolean isInput() {
    return node instanceof InputLayer;
  }

  boolean isFlatten() {
    return node instanceof FlattenNode;
  }

  boolean hasParameters() {
    return !layout.isEmpty();
  }

  /**
   * The buffer keeping this layer's pre-activation, for an activation whose derivative needs its
   * input (GELU, {@link dev.annonet.processor.model.ActivationKind#keepsInput}); else null.
   */
  public String kept() {
    return node.activation().kind().keepsInput() ? ident + "Pre" : null;
  }

  /** Floats per sample in this layer's output. */
  public int size() {
    return shape.size();
  }

  /** The first input. */
  public LayerPlan in() {
    return inputs.get(0);
  }

  /** The layer's field name, as messages, comments and state names use it. */
  public String name() {
    return node.name();
  }

  /** {@code hidden} -> {@code HIDDEN}, {@code convOne} -> {@code CONV_ONE}. */
  static String constantPrefix(String name) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(name.charAt(i - 1))) {
        s.append('_');
      }
      s.append(Character.toUpperCase(c));
    }
    return s.toString();
  }

  /** {@code hidden} -> {@code Hidden}. */
  static String capitalized(String name) {
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }
}
