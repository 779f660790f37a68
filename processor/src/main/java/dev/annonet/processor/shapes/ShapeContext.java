package dev.annonet.processor.shapes;

import dev.annonet.processor.Message;
import dev.annonet.processor.layers.LayerNode;
import dev.annonet.processor.model.Origin;
import java.util.List;

/**
 * What a layer's shape rule sees of the network while {@link ShapeChecker} walks it: the layer's
 * position, the layers before it, the shapes of the inputs it reads (once they are resolved),
 * and the reports that several kinds share (an image needed, a window that does not fit, an
 * output too large), each with the shape trace up to the layer.
 */
public final class ShapeContext {
  private final ShapeChecker checker;
  private final int index;
  private final List<Integer> inputs;

  ShapeContext(ShapeChecker checker, int index, List<Integer> inputs) {
    this.checker = checker;
    this.index = index;
    this.inputs = inputs;
  }

  /** The layer's position in the network (the input is 0). */
  public int index() {
    return index;
  }

  /** The name of layer {@code j}. */
  public String nameOf(int j) {
    return checker.layer(j).name();
  }

  /** The position of the layer called {@code name}, or -1 if there is none. */
  public int indexOf(String name) {
    return checker.indexOf(name);
  }

  /** The layer name closest to the misspelt {@code name}, or null if none is close. */
  public String nearestName(String name) {
    return Names.nearest(name, checker.layerNames());
  }

  /** The simple name of the network's class. */
  public String networkName() {
    return checker.networkName();
  }

  /** How many inputs the layer reads. */
  public int inputCount() {
    return inputs.size();
  }

  /** The output shape of input {@code k} (the previous layer is 0), or null if unknown. */
  public Shape inputShape(int k) {
    return checker.shape(inputs.get(k));
  }

  /** The name of the layer input {@code k} comes from. */
  public String inputName(int k) {
    return nameOf(inputs.get(k));
  }

  /** The shape of the first input, the previous layer's output; null for the input layer. */
  public Shape in() {
    return inputs.isEmpty() ? null : inputShape(0);
  }

  /** The name of the layer the first input comes from. */
  public String from() {
    return inputName(0);
  }

  /** Reports {@code message} at {@code origin}. */
  public void error(Origin origin, Message message, Object... args) {
    checker.diagnostics().error(origin, message, args);
  }

  /** The shapes up to this layer, {@code image 1x28x28 -> c1 6x24x24 -> ... -> p2 ?}. */
  public String trace() {
    return checker.trace(index);
  }

  /** Whether the first input is an image; reports that {@code node} needs one if not. */
  public boolean imageInput(LayerNode node) {
    Shape s = in();
    if (!vectorOrImageInput(node, "an image [channels][height][width]",
        "turn it into a vector with @LastStep or @MeanOverSteps, or declare an image"
            + " @Input({channels, height, width})")) {
      return false;
    }
    if (s.isVector()) {
      error(node.origin(), Message.IMAGE_NEEDED, node.kind(), node.name(), from(), s, node.kind(),
          node.name(), trace());
      return false;
    }
    return true;
  }

  /**
   * Whether the first input is a vector or an image; reports a sequence fed to {@code node},
   * which takes {@code takes} ({@code "a vector or an image"}), with the {@code fix}.
   */
  public boolean vectorOrImageInput(LayerNode node, String takes, String fix) {
    Shape s = in();
    if (s.isSequence()) {
      error(node.origin(), Message.SEQUENCE_NOT_ACCEPTED, node.kind(), node.name(), from(), s,
          node.kind(), takes, fix, trace());
      return false;
    }
    return true;
  }

  /**
   * Whether the first input holds real values, not token ids; reports that {@code node} needs an
   * {@code @Embedding} before it if not. Any kind that computes on values calls it.
   */
  public boolean realValues(LayerNode node) {
    Shape s = in();
    if (s.isTokens()) {
      error(node.origin(), Message.TOKENS_NEED_EMBEDDING, node.kind(), node.name(), from(), s,
          node.kind(), node.name(), trace());
      return false;
    }
    return true;
  }

  /**
   * Whether the first input is a real sequence {@code [T][d]}; reports token ids (an
   * {@code @Embedding} needed) or a vector or image (a sequence needed) fed to {@code node}.
   */
  public boolean realSequenceInput(LayerNode node) {
    Shape s = in();
    if (!realValues(node)) {
      return false;
    }
    if (!s.isRealSequence()) {
      error(node.origin(), Message.SEQUENCE_NEEDED, node.kind(), node.name(), from(), s,
          node.kind(), node.name(), trace());
      return false;
    }
    return true;
  }

  /**
   * The output extent of a window of {@code k} sliding by {@code stride} over {@code size + 2 pad}
   * values of the first input's {@code dimension}, or -1 after reporting a window larger than the
   * input or steps that do not tile it.
   */
  public int window(LayerNode node, int size, int k, int stride, int pad, String dimension) {
    Shape s = in();
    int padded = size + 2 * pad;
    if (k > padded) {
      error(node.origin(), Message.KERNEL_TOO_LARGE, node.kind(), node.name(), k, k,
          pad > 0 ? "padded input" : "input", s, from(), padded, trace());
      return -1;
    }
    if ((padded - k) % stride != 0) {
      int low = (padded - k) / stride;
      String fix = stride == 1 ? ""
          : "use stride 1, or a " + dimension + " of " + (low * stride + k - 2 * pad) + " or "
              + ((low + 1) * stride + k - 2 * pad);
      error(node.origin(), Message.STRIDE_MISMATCH, node.kind(), node.name(), s, from(), size, pad,
          k, stride, String.format("%.2f", (padded - k) / (double) stride), fix, trace());
      return -1;
    }
    return (padded - k) / stride + 1;
  }

  /**
   * The output of a window of {@code k} sliding by {@code stride} over the first input's height
   * and width, padded by {@code pad}: {@code [height, width]}, or null after reporting.
   */
  public int[] windows(LayerNode node, int k, int stride, int pad) {
    Shape s = in();
    int h = window(node, s.dims()[1], k, stride, pad, "height");
    int w = h < 0 ? -1 : window(node, s.dims()[2], k, stride, pad, "width");
    return h > 0 && w > 0 ? new int[] {h, w} : null;
  }

  /** Reports that the output, {@code values} floats per sample, fits no array. */
  public void outputTooLarge(LayerNode node, String shape, long values) {
    checker.outputTooLarge(node, index, shape, values);
  }
}
