package dev.annonet.processor.shapes;

import dev.annonet.processor.Diagnostics;
import dev.annonet.processor.Message;
import dev.annonet.processor.model.ActivationKind;
import dev.annonet.processor.model.DenseNode;
import dev.annonet.processor.model.FlattenNode;
import dev.annonet.processor.model.InputNode;
import dev.annonet.processor.model.LayerNode;
import dev.annonet.processor.model.LossKind;
import dev.annonet.processor.model.LossSpec;
import dev.annonet.processor.model.NetworkModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Infers every layer's output shape and checks that each layer accepts its input and that the
 * loss fits the output. A layer whose shape cannot be known (a bad size already reported by the
 * reader) has a null shape, and the checks that would depend on it are skipped, so one mistake
 * gives one error.
 */
public final class ShapeChecker {
  private final Diagnostics diagnostics;

  public ShapeChecker(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  /** The checked network, or null if any error was reported (here or before). */
  public CheckedNetwork check(NetworkModel model, int errorsBefore) {
    List<LayerNode> layers = model.layers();
    List<Shape> shapes = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      LayerNode node = layers.get(i);
      Shape in = i == 0 ? null : shapes.get(i - 1);
      shapes.add(outputShape(node, in, i == 0 ? null : layers.get(i - 1), layers, shapes));
      if (node.activation().kind() == ActivationKind.SOFTMAX && i != layers.size() - 1) {
        diagnostics.error(node.activation().origin(), Message.SOFTMAX_NOT_LAST, node.name());
      }
    }
    if (!layers.isEmpty()) {
      checkLoss(model, shapes.get(shapes.size() - 1));
      checkTotals(model, shapes);
    }
    if (diagnostics.errorCount() > errorsBefore || model.loss() == null) {
      return null;
    }
    return new CheckedNetwork(model, shapes);
  }

  private Shape outputShape(
      LayerNode node, Shape in, LayerNode previous, List<LayerNode> layers, List<Shape> shapes) {
    // Java 17 has no pattern switch: one branch per LayerNode kind, in the sealed order.
    if (node instanceof InputNode input) {
      return validInput(input.shape()) ? new Shape(input.shape().clone()) : null;
    }
    if (node instanceof DenseNode dense) {
      if (in != null && !in.isVector()) {
        diagnostics.error(
            dense.origin(),
            Message.FLATTEN_NEEDED,
            dense.name(),
            previous.name(),
            in,
            dense.name(),
            trace(layers, shapes));
      }
      return dense.units() > 0 ? Shape.vector(dense.units()) : null;
    }
    if (node instanceof FlattenNode flatten) {
      if (in == null) {
        return null;
      }
      if (in.isVector()) {
        diagnostics.error(
            flatten.origin(), Message.FLATTEN_OF_VECTOR, flatten.name(), previous.name(), in);
        return in;
      }
      long n = in.longSize();
      return n <= Integer.MAX_VALUE ? Shape.vector((int) n) : null;
    }
    throw new AssertionError("no shape rule for " + node);
  }

  private static boolean validInput(int[] shape) {
    if (shape.length != 1 && shape.length != 3) {
      return false;
    }
    for (int d : shape) {
      if (d <= 0) {
        return false;
      }
    }
    return true;
  }

  private void checkLoss(NetworkModel model, Shape out) {
    LossSpec loss = model.loss();
    if (loss == null || out == null) {
      return;
    }
    LayerNode last = model.layers().get(model.layers().size() - 1);
    String lossName = "@" + loss.kind().annotation();
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
    ActivationKind act = last.activation().kind();
    if (loss.kind() == LossKind.SOFTMAX_CROSS_ENTROPY && act == ActivationKind.SOFTMAX) {
      diagnostics.error(
          last.activation().origin(),
          Message.OUTPUT_ACTIVATION,
          lossName,
          "softmax",
          "@Softmax",
          last.name());
    }
    if (loss.kind() == LossKind.BINARY_CROSS_ENTROPY && act == ActivationKind.SIGMOID) {
      diagnostics.error(
          last.activation().origin(),
          Message.OUTPUT_ACTIVATION,
          lossName,
          "the sigmoid",
          "@Sigmoid",
          last.name());
    }
  }

  private void checkTotals(NetworkModel model, List<Shape> shapes) {
    long parameters = 0;
    for (int i = 0; i < shapes.size(); i++) {
      Shape in = i == 0 ? null : shapes.get(i - 1);
      if (i > 0 && in == null) {
        continue;
      }
      parameters += parameters(model.layers().get(i), in);
    }
    if (parameters > Integer.MAX_VALUE) {
      diagnostics.error(
          model.origin(), Message.TOO_LARGE, model.simpleName(), parameters, "parameters");
    }
  }

  /** Parameters of {@code node} given its input shape (null for the input layer). */
  static long parameters(LayerNode node, Shape in) {
    if (node instanceof DenseNode dense && in != null) {
      return (in.longSize() + 1) * Math.max(dense.units(), 0);
    }
    return 0;
  }

  /** Forward multiply-adds per sample of {@code node}. */
  static long multiplyAdds(LayerNode node, Shape in) {
    if (node instanceof DenseNode dense && in != null) {
      return in.longSize() * Math.max(dense.units(), 0);
    }
    return 0;
  }

  /** The shapes so far, {@code image 1x28x28 -> c1 6x24x24 -> ...}. */
  static String trace(List<LayerNode> layers, List<Shape> shapes) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < shapes.size(); i++) {
      s.append(i == 0 ? "" : " -> ")
          .append(layers.get(i).name())
          .append(' ')
          .append(shapes.get(i) == null ? "?" : shapes.get(i));
    }
    return s.toString();
  }
}
