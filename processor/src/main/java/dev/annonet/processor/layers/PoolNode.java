package dev.annonet.processor.layers;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.codegen.Code;
import dev.annonet.processor.codegen.Graph;
import dev.annonet.processor.codegen.LayerPlan;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;
import java.util.List;

/** {@code @MaxPool(size, stride)} or {@code @AvgPool(size, stride)}: pooling per channel. */
public sealed interface PoolNode extends LayerNode, ImageLayerNode
    permits MaxPoolNode, AvgPoolNode {

  /** Height and width of the window. */
  int size();

  /** Step between windows (the window size when the annotation leaves it 0). */
  int stride();

  @Override
  default Activation activation() {
    return Activation.none(origin());
  }

  // ---- Reading

  /**
   * Reads {@code @MaxPool} or {@code @AvgPool} ({@code kind}): no activation, a positive window
   * size and a stride of 0 (the window size) or more. Returns the size and the stride.
   */
  static int[] readWindow(LayerReading r, String kind) {
    r.noActivation(kind);
    int size = r.settings().intValue("value");
    int stride = r.settings().intValue("stride");
    r.positive(r.origin().atValue(), "@" + kind, size, "@" + kind + "(2)");
    if (stride < 0) {
      r.positive(r.origin().at("stride"), "@" + kind + " stride of", stride, "stride = 2");
    }
    return new int[] {size, stride == 0 ? size : stride};
  }

  // ---- Shape rule and parameters

  @Override
  default boolean hasParameters() {
    return false;
  }

  /** Takes an image that its window tiles; outputs the same channels, each pooled. */
  @Override
  default Shape outputShape(ShapeContext c) {
    if (size() <= 0 || stride() <= 0 || !c.imageInput(this)) {
      return null;
    }
    int[] hw = c.windows(this, size(), stride(), 0);
    return hw == null ? null : new Shape(new int[] {c.in().dims()[0], hw[0], hw[1]});
  }

  @Override
  default ParameterLayout parameters(Shape in) {
    return ParameterLayout.NONE;
  }

  // ---- Code shared by both pools

  /** {@code p1: MaxPool 6x24x24 -> 6x12x12, 2x2 stride 2}. */
  default String banner(LayerPlan p) {
    return p.name() + ": " + kind() + " " + p.inShape() + " -> " + p.shape() + ", " + size() + "x"
        + size() + " stride " + stride();
  }

  @Override
  default List<FieldSpec> constants(LayerPlan p) {
    int[] in = p.inShape().dims();
    String k = p.prefix();
    return List.of(
        Code.constant(k + "_C", in[0], "Channels of " + banner(p) + "."),
        Code.constant(k + "_IN_H", in[1], "Input height."),
        Code.constant(k + "_IN_W", in[2], "Input width."),
        Code.constant(k + "_SIZE", size(), "Window height and width."),
        Code.constant(k + "_STRIDE", stride(), "Step between windows."));
  }

  /** The kernels' size arguments after {@code images}: {@code from, to, P1_C, ...}. */
  private static String sizes(String images, String k) {
    return images + ", " + k + "_C, " + k + "_IN_H, " + k + "_IN_W, " + k + "_SIZE, " + k
        + "_STRIDE";
  }

  @Override
  default CodeBlock forwardImages(LayerPlan p) {
    return CodeBlock.builder()
        .add("// $L\n", banner(p))
        .addStatement(forwardCall(p, sizes("from, to", p.prefix())))
        .build();
  }

  @Override
  default CodeBlock backwardImages(LayerPlan p, Graph g) {
    return backward(p, g, "from, to");
  }

  /** The comment with the output buffer's shape, then {@link #forwardCall}. */
  @Override
  default CodeBlock forward(LayerPlan p) {
    return CodeBlock.builder()
        .add("// $L; $L: [batch][$L]\n", banner(p), p.value(),
            p.shape().toString().replace("x", "]["))
        .addStatement(forwardCall(p, sizes("batch", p.prefix())))
        .build();
  }

  /** The forward kernel call; {@code sizes} are its size arguments. */
  CodeBlock forwardCall(LayerPlan p, String sizes);

  @Override
  default CodeBlock backward(LayerPlan p, Graph g) {
    return backward(p, g, "batch");
  }

  /**
   * Nothing when the input is the data; else {@link #backwardCall} on {@code images} ({@code
   * batch} or {@code from, to}) and any sum of branches.
   */
  private CodeBlock backward(LayerPlan p, Graph g, String images) {
    String target = g.gradientTarget(p, 0);
    if (target == null) {
      return CodeBlock.of("");
    }
    return CodeBlock.builder()
        .add("// $L\n", banner(p))
        .addStatement(backwardCall(p, target, sizes(images, p.prefix())))
        .add(g.accumulate(p, 0))
        .build();
  }

  /** The backward kernel call writing the input's gradient into {@code target}. */
  CodeBlock backwardCall(LayerPlan p, String target, String sizes);
}
