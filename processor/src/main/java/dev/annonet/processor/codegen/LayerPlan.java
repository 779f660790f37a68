package dev.annonet.processor.codegen;

import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.DenseNode;
import dev.annonet.processor.model.InputNode;
import dev.annonet.processor.model.LayerNode;
import dev.annonet.processor.shapes.CheckedNetwork;
import java.util.ArrayList;
import java.util.List;

/**
 * What the generator needs to know of one layer: its constants' prefix, its sizes, the buffers
 * holding its output and that output's gradient, and its slice of the parameter buffer. Built
 * once for the whole network by {@link #of}.
 *
 * @param value the buffer holding this layer's output ({@code x} for the input; a flatten reuses
 *     its input's buffer)
 * @param grad the buffer holding the gradient of the loss with respect to {@link #value}, or
 *     null where nothing needs it (the input)
 * @param producer the activation applied where {@link #value} was computed (none for the input)
 */
record LayerPlan(
    LayerNode node,
    String prefix,
    int inSize,
    int outSize,
    String value,
    String grad,
    Activation producer,
    int weightOffset,
    int biasOffset) {

  static List<LayerPlan> of(CheckedNetwork net) {
    List<LayerPlan> plans = new ArrayList<>();
    int offset = 0;
    for (int i = 0; i < net.layers().size(); i++) {
      LayerNode node = net.layers().get(i);
      int out = net.shapes().get(i).size();
      String prefix = constantPrefix(node.name());
      if (node instanceof InputNode) {
        plans.add(new LayerPlan(node, prefix, 0, out, "x", null, node.activation(), -1, -1));
      } else if (node instanceof DenseNode dense) {
        int in = net.inputOf(i).size();
        String cap = Character.toUpperCase(node.name().charAt(0)) + node.name().substring(1);
        plans.add(
            new LayerPlan(
                node, prefix, in, out, node.name() + "Out", "d" + cap, dense.activation(),
                offset, offset + in * out));
        offset += in * out + out;
      } else {
        // A flatten only renames: same floats, same buffers, same producer.
        LayerPlan prev = plans.get(i - 1);
        plans.add(
            new LayerPlan(
                node, prefix, prev.outSize, out, prev.value, prev.grad, prev.producer, -1, -1));
      }
    }
    return plans;
  }

  boolean isInput() {
    return node instanceof InputNode;
  }

  boolean isDense() {
    return node instanceof DenseNode;
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
}
