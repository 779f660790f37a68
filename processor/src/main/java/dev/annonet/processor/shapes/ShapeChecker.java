package dev.annonet.processor.shapes;

import dev.annonet.processor.Diagnostics;
import dev.annonet.processor.Message;
import dev.annonet.processor.layers.AddNode;
import dev.annonet.processor.layers.BatchNormNode;
import dev.annonet.processor.layers.ConcatNode;
import dev.annonet.processor.layers.Conv2dNode;
import dev.annonet.processor.layers.DenseNode;
import dev.annonet.processor.layers.DropoutNode;
import dev.annonet.processor.layers.FlattenNode;
import dev.annonet.processor.layers.InputNode;
import dev.annonet.processor.layers.LayerNode;
import dev.annonet.processor.layers.MergeNode;
import dev.annonet.processor.layers.NormNode;
import dev.annonet.processor.layers.PoolNode;
import dev.annonet.processor.model.ActivationKind;
import dev.annonet.processor.model.LossKind;
import dev.annonet.processor.model.LossSpec;
import dev.annonet.processor.model.NetworkModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Infers every layer's output shape and checks that each layer accepts its inputs and that the
 * loss fits the output. A layer whose shape cannot be known (a mistake already reported) has a
 * null shape, and the checks that would depend on it are skipped, so one mistake gives one
 * error.
 */
public final class ShapeChecker {
  /**
   * The longest float array every JVM allocates ({@code Integer.MAX_VALUE - 8}, as the JDK's own
   * collections assume): the bound on the parameters and on every per-sample buffer.
   */
  public static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private final Diagnostics diagnostics;
  private List<LayerNode> layers;
  private List<Shape> shapes;

  public ShapeChecker(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  /** The checked network, or null if any error was reported (here or before). */
  public CheckedNetwork check(NetworkModel model, int errorsBefore) {
    layers = model.layers();
    shapes = new ArrayList<>();
    List<List<Integer>> inputs = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      LayerNode node = layers.get(i);
      List<Integer> in = inputsOf(model, i);
      inputs.add(in);
      Shape shape = in == null ? null : outputShape(node, i, in);
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

  /**
   * The indices of the layers whose outputs layer {@code i} reads: the previous layer, then for
   * a merge the layers named in {@code from}. Null (after reporting) when a name is wrong.
   */
  private List<Integer> inputsOf(NetworkModel model, int i) {
    List<Integer> in = new ArrayList<>();
    if (i == 0) {
      return in;
    }
    in.add(i - 1);
    if (!(layers.get(i) instanceof MergeNode merge)) {
      return in;
    }
    boolean ok = true;
    if (merge.from().isEmpty()) {
      String before = layers.get(i - 1).name();
      diagnostics.error(merge.origin().at("from"), Message.EMPTY_MERGE, merge.kind(),
          merge.name(), before, merge.kind(), i >= 2 ? layers.get(i - 2).name() : before);
      return null;
    }
    Set<String> named = new HashSet<>();
    for (String from : merge.from()) {
      int j = indexOf(from);
      if (!named.add(from)) {
        diagnostics.error(merge.origin().at("from"), Message.REPEATED_MERGE_INPUT, merge.kind(),
            merge.name(), from);
        ok = false;
      } else if (j < 0) {
        String hint = Names.nearest(from, layerNames());
        diagnostics.error(
            merge.origin().at("from"),
            Message.UNKNOWN_FIELD,
            merge.kind(),
            merge.name(),
            from,
            model.simpleName(),
            hint == null ? "" : ": did you mean '" + hint + "'?");
        ok = false;
      } else if (j >= i) {
        diagnostics.error(
            merge.origin().at("from"),
            Message.FORWARD_REFERENCE,
            merge.kind(),
            merge.name(),
            from,
            j == i ? "itself (a cycle)" : "which is declared after it");
        ok = false;
      } else {
        in.add(j);
      }
    }
    return ok ? in : null;
  }

  private Shape outputShape(LayerNode node, int i, List<Integer> in) {
    Shape s = i == 0 ? null : shapes.get(in.get(0));
    String from = i == 0 ? null : layers.get(in.get(0)).name();
    // Java 17 has no pattern switch: one branch per LayerNode kind.
    if (node instanceof InputNode input) {
      return validInput(input.shape()) ? new Shape(input.shape().clone()) : null;
    }
    if (s == null) {
      // The input's shape is unknown (already reported); only a Dense's output is still known.
      return node instanceof DenseNode dense && dense.units() > 0
          ? Shape.vector(dense.units())
          : null;
    }
    if (node instanceof DenseNode dense) {
      if (!s.isVector()) {
        diagnostics.error(
            dense.origin(), Message.FLATTEN_NEEDED, dense.name(), from, s, dense.name(),
            trace(i));
      }
      return dense.units() > 0 ? Shape.vector(dense.units()) : null;
    }
    if (node instanceof FlattenNode flatten) {
      if (s.isVector()) {
        diagnostics.error(
            flatten.origin(), Message.FLATTEN_OF_VECTOR, flatten.name(), from, s);
        return s;
      }
      return Shape.vector((int) s.longSize());
    }
    if (node instanceof Conv2dNode conv) {
      if (conv.filters() <= 0 || conv.kernel() <= 0 || conv.stride() <= 0
          || conv.padding() < Conv2dNode.SAME) {
        return null;
      }
      if (!imageInput(conv, s, from, i)) {
        return null;
      }
      int pad = conv.effectivePadding();
      int h = window(conv, s, from, i, s.dims()[1], conv.kernel(), conv.stride(), pad, "height");
      int w = h < 0 ? -1
          : window(conv, s, from, i, s.dims()[2], conv.kernel(), conv.stride(), pad, "width");
      if (h <= 0 || w <= 0) {
        return null;
      }
      checkUnfold(conv, s, h, w, i);
      return new Shape(new int[] {conv.filters(), h, w});
    }
    if (node instanceof PoolNode pool) {
      if (pool.size() <= 0 || pool.stride() <= 0 || !imageInput(pool, s, from, i)) {
        return null;
      }
      int h = window(pool, s, from, i, s.dims()[1], pool.size(), pool.stride(), 0, "height");
      int w = h < 0 ? -1
          : window(pool, s, from, i, s.dims()[2], pool.size(), pool.stride(), 0, "width");
      return h > 0 && w > 0 ? new Shape(new int[] {s.dims()[0], h, w}) : null;
    }
    if (node instanceof DropoutNode || node instanceof NormNode) {
      return s;
    }
    if (node instanceof MergeNode merge) {
      return mergeShape(merge, i, in);
    }
    throw new AssertionError("no shape rule for " + node);
  }

  private boolean imageInput(LayerNode node, Shape s, String from, int i) {
    if (s.isVector()) {
      diagnostics.error(
          node.origin(), Message.IMAGE_NEEDED, node.kind(), node.name(), from, s, node.kind(),
          node.name(), trace(i));
      return false;
    }
    return true;
  }

  /**
   * The output extent of a window sliding over {@code size + 2 pad} values, or -1 after
   * reporting a window larger than the input or steps that do not tile it.
   */
  private int window(
      LayerNode node, Shape s, String from, int i, int size, int k, int stride, int pad,
      String dimension) {
    int padded = size + 2 * pad;
    if (k > padded) {
      diagnostics.error(
          node.origin(), Message.KERNEL_TOO_LARGE, node.kind(), node.name(), k, k,
          pad > 0 ? "padded input" : "input", s, from, padded, trace(i));
      return -1;
    }
    if ((padded - k) % stride != 0) {
      int low = (padded - k) / stride;
      String fix =
          stride == 1 ? "" : "use stride 1, or a " + dimension + " of " + (low * stride + k - 2 * pad)
              + " or " + ((low + 1) * stride + k - 2 * pad);
      diagnostics.error(
          node.origin(), Message.STRIDE_MISMATCH, node.kind(), node.name(), s, from, size, pad, k,
          stride, String.format("%.2f", (padded - k) / (double) stride), fix, trace(i));
      return -1;
    }
    return (padded - k) / stride + 1;
  }

  private Shape mergeShape(MergeNode merge, int i, List<Integer> in) {
    Shape first = shapes.get(in.get(0));
    String firstName = layers.get(in.get(0)).name();
    long channels = first.dims()[0];
    for (int k = 1; k < in.size(); k++) {
      Shape other = shapes.get(in.get(k));
      if (other == null) {
        return null;
      }
      String otherName = layers.get(in.get(k)).name();
      String problem = null;
      String fix = null;
      if (merge instanceof AddNode && !other.equals(first)) {
        problem = "adds outputs of the same shape";
        fix = "make both the same shape, e.g. with a @Dense(" + first.size() + ") on the branch";
      } else if (merge instanceof ConcatNode && (other.isVector() != first.isVector()
          || (!first.isVector() && (other.dims()[1] != first.dims()[1]
              || other.dims()[2] != first.dims()[2])))) {
        problem = first.isVector() || other.isVector()
            ? "joins vectors with vectors or images with images"
            : "joins images of the same height and width";
        fix = first.isVector() || other.isVector()
            ? "add @Flatten to the image branch" : "pool or pad one branch to match";
      }
      if (problem != null) {
        diagnostics.error(
            merge.origin().at("from"), Message.MERGE_SHAPE_MISMATCH, merge.kind(), merge.name(),
            problem, firstName, first, otherName, other, fix, trace(i));
        return null;
      }
      channels += other.dims()[0];
    }
    if (merge instanceof AddNode) {
      return first;
    }
    long values = channels * (first.longSize() / first.dims()[0]);
    if (values > MAX_ARRAY) {
      String shape = first.isVector() ? String.valueOf(channels)
          : channels + "x" + first.dims()[1] + "x" + first.dims()[2];
      outputTooLarge(merge, i, shape, values);
      return null;
    }
    int[] dims = first.dims().clone();
    dims[0] = (int) channels;
    return new Shape(dims);
  }

  /** Reports that layer {@code i}'s output, {@code values} floats per sample, fits no array. */
  private void outputTooLarge(LayerNode node, int i, String shape, long values) {
    String fix = switch (node.kind()) {
      case "Input" -> "a smaller input";
      case "Dense" -> "fewer units";
      case "Conv2d" -> "fewer filters, less padding or a larger stride";
      case "Concat" -> "fewer or smaller branches";
      default -> "a smaller input";
    };
    String count = shape.equals(String.valueOf(values)) ? shape : shape + " = " + values;
    diagnostics.error(
        node.origin(), Message.OUTPUT_TOO_LARGE, node.kind(), node.name(), count, MAX_ARRAY,
        node.name(), fix, trace(i));
  }

  /**
   * A convolution other than 1x1 unfolds each input image into a work buffer of (input channels
   * x kernel x kernel) rows by (output height x width) columns; reports one that fits no array
   * (unless the output itself does not fit, which is reported instead).
   */
  private void checkUnfold(Conv2dNode conv, Shape in, int h, int w, int i) {
    boolean pointwise = conv.kernel() == 1 && conv.stride() == 1 && conv.effectivePadding() == 0;
    long values = (long) in.dims()[0] * conv.kernel() * conv.kernel() * h * w;
    long outputs = (long) conv.filters() * h * w;
    if (!pointwise && values > MAX_ARRAY && outputs <= MAX_ARRAY) {
      diagnostics.error(
          conv.origin(), Message.UNFOLD_TOO_LARGE, conv.name(), values, in.dims()[0],
          conv.kernel(), conv.kernel(), h + "x" + w, MAX_ARRAY, conv.name(), trace(i));
    }
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
    LayerNode last = layers.get(layers.size() - 1);
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
      ParameterLayout layout = parameters(node, shapes.get(inputs.get(i).get(0)));
      long own = layout.count();
      total += own;
      if (total > MAX_ARRAY) {
        if (shapes.get(i) != null) {
          String fix = switch (node.kind()) {
            case "Dense" -> "fewer units, or a smaller input";
            case "Conv2d" -> "fewer filters or a smaller kernel";
            default -> "a smaller input";
          };
          boolean alone = own == total;
          String count = alone ? "has " + own + " parameters"
              : "brings the network to " + total + " parameters (" + own + " of them its own)";
          diagnostics.error(
              node.origin(), Message.TOO_MANY_PARAMETERS, node.kind(), node.name(), count,
              MAX_ARRAY, node.name(), fix, alone ? "" : ", or the layers before it");
        }
        return null;
      }
      layouts.add(layout.at((int) (total - own)));
    }
    return layouts;
  }

  /** The weight and bias of {@code node} given its (first) input shape, not yet placed. */
  static ParameterLayout parameters(LayerNode node, Shape in) {
    if (in == null) {
      return ParameterLayout.NONE;
    }
    if (node instanceof DenseNode dense) {
      int units = Math.max(dense.units(), 0);
      return ParameterLayout.of(dense.name(), new int[] {units, in.size()}, new int[] {units});
    }
    if (node instanceof Conv2dNode conv) {
      return ParameterLayout.of(
          conv.name(), new int[] {conv.filters(), in.dims()[0], conv.kernel(), conv.kernel()},
          new int[] {conv.filters()});
    }
    if (node instanceof NormNode norm) {
      int channels = norm instanceof BatchNormNode ? in.dims()[0] : in.size();
      return ParameterLayout.of(norm.name(), new int[] {channels}, new int[] {channels});
    }
    return ParameterLayout.NONE;
  }

  /** Forward multiply-adds per sample of {@code node}, given its input and output shapes. */
  static long multiplyAdds(LayerNode node, Shape in, Shape out) {
    if (in == null || out == null) {
      return 0;
    }
    if (node instanceof DenseNode dense) {
      return in.longSize() * Math.max(dense.units(), 0);
    }
    if (node instanceof Conv2dNode conv) {
      return out.longSize() * in.dims()[0] * conv.kernel() * conv.kernel();
    }
    return 0;
  }

  private int indexOf(String name) {
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private List<String> layerNames() {
    List<String> names = new ArrayList<>();
    for (LayerNode node : layers) {
      names.add(node.name());
    }
    return names;
  }

  /** The shapes up to layer {@code upTo}, {@code image 1x28x28 -> c1 6x24x24 -> ...}. */
  private String trace(int upTo) {
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
