package dev.annonet.processor.shapes;

import dev.annonet.processor.Diagnostics;
import dev.annonet.processor.Message;
import dev.annonet.processor.layers.LayerNode;
import dev.annonet.processor.model.ActivationKind;
import dev.annonet.processor.model.LossKind;
import dev.annonet.processor.model.LossSpec;
import dev.annonet.processor.model.NetworkModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Infers every layer's output shape and checks that each layer accepts its inputs and that the
 * loss fits the output, then lays the parameters out. Each layer's own rule is its kind's
 * {@link LayerNode#outputShape} (with the layers it reads from its {@link LayerNode#inputs});
 * this class walks the network and checks what concerns all of it: softmax placement, the loss,
 * the total of parameters. A layer whose shape cannot be known (a
 * mistake already reported) has a null shape, and the checks that would depend on it are
 * skipped, so one mistake gives one error.
 */
public final class ShapeChecker {
  /**
   * The longest float array every JVM allocates ({@code Integer.MAX_VALUE - 8}, as the JDK's own
   * collections assume): the bound on the parameters and on every per-sample buffer.
   */
  public static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private final Diagnostics diagnostics;
  private NetworkModel model;
  private List<LayerNode> layers;
  private List<Shape> shapes;

  public ShapeChecker(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  /** The checked network, or null if any error was reported (here or before). */
  public CheckedNetwork check(NetworkModel model, int errorsBefore) {
    this.model = model;
    layers = model.layers();
    shapes = new ArrayList<>();
    List<List<Integer>> inputs = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      LayerNode node = layers.get(i);
      List<Integer> in = i == 0 ? List.of() : node.inputs(new ShapeContext(this, i, List.of()));
      inputs.add(in);
      Shape shape = null;
      if (in != null) {
        ShapeContext context = new ShapeContext(this, i, in);
        // With its input unknown (a mistake already reported), a layer keeps only the shape it
        // has whatever its input: an input layer its own, a dense layer its units.
        shape = context.in() == null ? node.shapeWithoutInput() : node.outputShape(context);
      }
      if (shape != null && shape.longSize() > MAX_ARRAY) {
        outputTooLarge(node, i, shape.toString(), shape.longSize());
        shape = null;
      }
      shapes.add(shape);
      if (node.activation().kind() == ActivationKind.SOFTMAX && i != layers.size() - 1) {
        diagnostics.error(node.activation().origin(), Message.SOFTMAX_NOT_LAST, node.name());
      }
    }
    List<ParameterLayout> layouts = null;
    if (!layers.isEmpty()) {
      checkLoss(model, shapes.get(shapes.size() - 1));
      layouts = layOutParameters(inputs);
    }
    if (diagnostics.errorCount() > errorsBefore || model.loss() == null || layouts == null) {
      return null;
    }
    return new CheckedNetwork(
        model, List.copyOf(shapes), List.copyOf(inputs), List.copyOf(layouts));
  }

  /** Reports that layer {@code i}'s output, {@code values} floats per sample, fits no array. */
  void outputTooLarge(LayerNode node, int i, String shape, long values) {
    String count = shape.equals(String.valueOf(values)) ? shape : shape + " = " + values;
    diagnostics.error(
        node.origin(), Message.OUTPUT_TOO_LARGE, node.kind(), node.name(), count, MAX_ARRAY,
        node.name(), node.smallerOutput(), trace(i));
  }

  private void checkLoss(NetworkModel model, Shape out) {
    LossSpec loss = model.loss();
    if (loss == null || out == null) {
      return;
    }
    LayerNode last = layers.get(layers.size() - 1);
    String lossName = "@" + loss.kind().annotation();
    if (out.isSequence()) {
      checkSequenceLoss(loss, out, last, lossName);
      return;
    }
    if (!out.isVector()) {
      diagnostics.error(
          last.origin(),
          Message.LOSS_OUTPUT_MISMATCH,
          "the loss " + lossName + " compares vectors",
          last.name(),
          "the image shape " + out,
          "add @Flatten and a @Dense output layer after '" + last.name() + "'");
      return;
    }
    int units = out.dims()[0];
    if (loss.kind() == LossKind.SOFTMAX_CROSS_ENTROPY && units < 2) {
      diagnostics.error(
          last.origin(),
          Message.LOSS_OUTPUT_MISMATCH,
          lossName + " needs one output per class",
          last.name(),
          "1 unit",
          "softmax over one class is always 1; give it one unit per class, e.g. @Dense(10),"
              + " or use @BinaryCrossEntropy for two classes");
    }
    if (loss.kind() == LossKind.BINARY_CROSS_ENTROPY && units != 1) {
      diagnostics.error(
          last.origin(),
          Message.LOSS_OUTPUT_MISMATCH,
          lossName + " takes one logit",
          last.name(),
          units + " units",
          "use @Dense(1) here, or @SoftmaxCrossEntropy for " + units + " classes");
    }
    checkOutputActivation(loss, last, lossName);
  }

  /**
   * The loss of a sequence output {@code seq T x d}: the cross-entropy at every position (d
   * classes, T class indices per sample), the regression losses over every value; not the binary
   * cross-entropy, nor token ids.
   */
  private void checkSequenceLoss(LossSpec loss, Shape out, LayerNode last, String lossName) {
    String reduce = "add @LastStep or @MeanOverSteps, then a @Dense output layer, after '"
        + last.name() + "'";
    if (out.isTokens()) {
      diagnostics.error(last.origin(), Message.SEQUENCE_LOSS,
          "the loss " + lossName + " compares values", last.name(), out,
          "add @Embedding and a @Dense output layer after '" + last.name() + "'");
    } else if (loss.kind() == LossKind.BINARY_CROSS_ENTROPY) {
      diagnostics.error(last.origin(), Message.SEQUENCE_LOSS,
          lossName + " takes one logit per sample", last.name(), out,
          reduce + " (@Dense(1)), or use @SoftmaxCrossEntropy for a class at every position");
    } else if (loss.kind() == LossKind.SOFTMAX_CROSS_ENTROPY && out.features() < 2) {
      diagnostics.error(last.origin(), Message.SEQUENCE_LOSS,
          lossName + " at every position needs one output per class", last.name(), out,
          "give '" + last.name() + "' one unit per class at each position, e.g. @Dense(10),"
              + " or use a regression loss");
    } else {
      checkOutputActivation(loss, last, lossName);
    }
  }

  /** Reports an output activation that the loss already applies. */
  private void checkOutputActivation(LossSpec loss, LayerNode last, String lossName) {
    ActivationKind act = last.activation().kind();
    if (loss.kind() == LossKind.SOFTMAX_CROSS_ENTROPY && act == ActivationKind.SOFTMAX) {
      diagnostics.error(
          last.activation().origin(), Message.OUTPUT_ACTIVATION, lossName, "softmax", "@Softmax",
          last.name());
    }
    if (loss.kind() == LossKind.BINARY_CROSS_ENTROPY && act == ActivationKind.SIGMOID) {
      diagnostics.error(
          last.activation().origin(), Message.OUTPUT_ACTIVATION, lossName, "the sigmoid",
          "@Sigmoid", last.name());
    }
  }

  /**
   * Places every layer's parameters in the model's one buffer, layers in order; null after
   * reporting the layer that brings them past {@link #MAX_ARRAY}, as the model keeps them all in
   * one array. Nothing is reported on a layer whose output is unknown (its mistake is already
   * reported).
   */
  private List<ParameterLayout> layOutParameters(List<List<Integer>> inputs) {
    List<ParameterLayout> layouts = new ArrayList<>();
    layouts.add(ParameterLayout.NONE);
    long total = 0;
    for (int i = 1; i < layers.size(); i++) {
      if (inputs.get(i) == null) {
        layouts.add(ParameterLayout.NONE);
        continue;
      }
      LayerNode node = layers.get(i);
      Shape in = shapes.get(inputs.get(i).get(0));
      ParameterLayout layout = in == null ? ParameterLayout.NONE : node.parameters(in);
      long own = layout.count();
      total += own;
      if (total > MAX_ARRAY) {
        if (shapes.get(i) != null) {
          boolean alone = own == total;
          String count = alone ? "has " + own + " parameters"
              : "brings the network to " + total + " parameters (" + own + " of them its own)";
          diagnostics.error(
              node.origin(), Message.TOO_MANY_PARAMETERS, node.kind(), node.name(), count,
              MAX_ARRAY, node.name(), node.fewerParameters(),
              alone ? "" : ", or the layers before it");
        }
        return null;
      }
      layouts.add(layout.at((int) (total - own)));
    }
    return layouts;
  }

  Diagnostics diagnostics() {
    return diagnostics;
  }

  String networkName() {
    return model.simpleName();
  }

  LayerNode layer(int i) {
    return layers.get(i);
  }

  Shape shape(int i) {
    return shapes.get(i);
  }

  int indexOf(String name) {
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  List<String> layerNames() {
    List<String> names = new ArrayList<>();
    for (LayerNode node : layers) {
      names.add(node.name());
    }
    return names;
  }

  /** The shapes up to layer {@code upTo}, {@code image 1x28x28 -> c1 6x24x24 -> ...}. */
  String trace(int upTo) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < upTo; i++) {
      s.append(i == 0 ? "" : " -> ")
          .append(layers.get(i).name())
          .append(' ')
          .append(shapes.get(i) == null ? "?" : shapes.get(i));
    }
    return s.append(upTo == 0 ? "" : " -> ").append(layers.get(upTo).name()).append(" ?")
        .toString();
  }
}
