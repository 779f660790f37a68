package dev.annonet.processor.layers;

import static dev.annonet.processor.codegen.RuntimeNames.CONV2D;
import static dev.annonet.processor.shapes.ShapeChecker.MAX_ARRAY;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.Message;
import dev.annonet.processor.codegen.Code;
import dev.annonet.processor.codegen.Graph;
import dev.annonet.processor.codegen.LayerPlan;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;
import java.util.List;

/**
 * {@code @Conv2d(filters, kernel, stride, padding)}: a square-kernel convolution; padding
 * {@link #SAME} keeps height and width.
 */
public record Conv2dNode(
    String name, int filters, int kernel, int stride, int padding, Activation activation,
    Origin origin) implements LayerNode, ImageLayerNode {

  /** The value of {@code Conv2d.SAME}. */
  public static final int SAME = -1;

  @Override
  public String kind() {
    return "Conv2d";
  }

  /** The padding on each side: {@code (kernel - 1) / 2} for {@link #SAME}. */
  public int effectivePadding() {
    return padding == SAME ? (kernel - 1) / 2 : padding;
  }

  // ---- Reading

  /**
   * Reads {@code @Conv2d}: positive filters, kernel and stride, a padding of at least 0 or
   * {@link #SAME}, and SAME only where it keeps the size.
   */
  static Conv2dNode read(LayerReading r) {
    String name = r.name();
    Origin origin = r.origin();
    int filters = r.settings().intValue("filters");
    int kernel = r.settings().intValue("kernel");
    int stride = r.settings().intValue("stride");
    int padding = r.settings().intValue("padding");
    r.positive(origin.at("filters"), "@Conv2d filters of", filters, "filters = 6");
    r.positive(origin.at("kernel"), "@Conv2d kernel of", kernel, "kernel = 5");
    r.positive(origin.at("stride"), "@Conv2d stride of", stride, "stride = 1");
    if (padding < SAME) {
      r.error(
          origin.at("padding"),
          Message.NON_POSITIVE_SIZE,
          "@Conv2d padding of",
          name,
          padding,
          "padding = 0, padding = 2 or padding = Conv2d.SAME");
    } else if (padding == SAME && kernel > 0 && (stride != 1 || kernel % 2 == 0)) {
      r.error(
          origin.at("padding"),
          Message.SAME_PADDING,
          name,
          stride != 1 ? "stride " + stride : "the even kernel " + kernel);
    }
    return new Conv2dNode(name, filters, kernel, stride, padding, r.activation(), origin);
  }

  // ---- Shape rule and parameters

  @Override
  public boolean hasParameters() {
    return true;
  }

  /**
   * Takes an image that its kernel tiles with its stride and padding; outputs
   * {@code [filters][h][w]}. Settings already reported as wrong give no shape.
   */
  @Override
  public Shape outputShape(ShapeContext c) {
    if (filters <= 0 || kernel <= 0 || stride <= 0 || padding < SAME) {
      return null;
    }
    if (!c.imageInput(this)) {
      return null;
    }
    int[] hw = c.windows(this, kernel, stride, effectivePadding());
    if (hw == null) {
      return null;
    }
    checkUnfold(c, hw[0], hw[1]);
    return new Shape(new int[] {filters, hw[0], hw[1]});
  }

  /**
   * A convolution other than 1x1 unfolds each input image into a work buffer of (input channels
   * x kernel x kernel) rows by (output height x width) columns; reports one that fits no array
   * (unless the output itself does not fit, which is reported instead).
   */
  private void checkUnfold(ShapeContext c, int h, int w) {
    Shape in = c.in();
    boolean pointwise = kernel == 1 && stride == 1 && effectivePadding() == 0;
    long values = (long) in.dims()[0] * kernel * kernel * h * w;
    long outputs = (long) filters * h * w;
    if (!pointwise && values > MAX_ARRAY && outputs <= MAX_ARRAY) {
      c.error(origin, Message.UNFOLD_TOO_LARGE, name, values, in.dims()[0], kernel, kernel,
          h + "x" + w, MAX_ARRAY, name, c.trace());
    }
  }

  /** PyTorch's Conv2d: weight {@code [out][in][kh][kw]}, bias {@code [out]}. */
  @Override
  public ParameterLayout parameters(Shape in) {
    return ParameterLayout.of(
        name, new int[] {filters, in.dims()[0], kernel, kernel}, new int[] {filters});
  }

  @Override
  public long multiplyAdds(Shape in, Shape out) {
    return out.longSize() * in.dims()[0] * kernel * kernel;
  }

  @Override
  public String smallerOutput() {
    return "fewer filters, less padding or a larger stride";
  }

  @Override
  public String fewerParameters() {
    return "fewer filters or a smaller kernel";
  }

  // ---- Code: a fused kernel call each way, sizes as constants

  /** {@code c1: Conv2d 1x28x28 -> 6x24x24, 5x5 stride 1 pad 0, @Relu}. */
  private String banner(LayerPlan p) {
    return p.name() + ": Conv2d " + p.inShape() + " -> " + p.shape() + ", " + kernel + "x"
        + kernel + " stride " + stride + " pad " + effectivePadding() + Code.actSuffix(activation);
  }

  @Override
  public List<FieldSpec> constants(LayerPlan p) {
    int[] in = p.inShape().dims();
    int[] out = p.shape().dims();
    String k = p.prefix();
    FieldSpec[] offsets = Code.offsets(p);
    return List.of(
        Code.constant(k + "_IN_C", in[0], "Input channels of " + banner(p) + "."),
        Code.constant(k + "_IN_H", in[1], "Input height."),
        Code.constant(k + "_IN_W", in[2], "Input width."),
        Code.constant(k + "_OUT_C", out[0], "Output channels (filters)."),
        Code.constant(k + "_K", kernel, "Kernel height and width."),
        Code.constant(k + "_STRIDE", stride, "Stride."),
        Code.constant(k + "_PAD", effectivePadding(), "Zero padding on each side."),
        offsets[0],
        offsets[1]);
  }

  @Override
  public CodeBlock initialize(LayerPlan p) {
    String k = p.prefix();
    String area = k + "_K * " + k + "_K";
    return Code.initWeights(
        p, k + "_OUT_C * " + k + "_IN_C * " + area, k + "_IN_C * " + area,
        k + "_OUT_C * " + area, k + "_OUT_C");
  }

  /** The size arguments of a Conv2d kernel call after {@code images} (none if null). */
  private static String sizes(String images, String k) {
    return (images == null ? "" : images + ", ") + k + "_IN_C, " + k + "_IN_H, " + k + "_IN_W, "
        + k + "_OUT_C, " + k + "_K, " + k + "_STRIDE, " + k + "_PAD";
  }

  @Override
  public CodeBlock forward(LayerPlan p) {
    String k = p.prefix();
    return CodeBlock.builder()
        .add("// $L; $L: [batch][$L]\n", banner(p), p.value(),
            p.shape().toString().replace("x", "]["))
        .addStatement(
            "$T.forward($L, params, $L_W, $L_B, $L, $L, $L)",
            CONV2D, p.in().value(), k, k, p.value(), sizes("batch", k), Code.act(p.producer()))
        .build();
  }

  @Override
  public CodeBlock backward(LayerPlan p, Graph g) {
    String k = p.prefix();
    CodeBlock.Builder code = CodeBlock.builder().add("// $L\n", banner(p));
    code.addStatement(
        "$T.backwardParams($L, $L, grads, $L_W, $L_B, $L)",
        CONV2D, p.grad(), p.in().value(), k, k, sizes("batch", k));
    return code.add(backwardInput(p, g)).build();
  }

  @Override
  public CodeBlock backwardBySlice(LayerPlan p, Graph g) {
    String k = p.prefix();
    return CodeBlock.builder()
        .add("// $L; each slice's parameter gradient from its images\n", banner(p))
        .add(Code.eachSlice("$T.backwardParams($L, $L, slices.sliceStart(s),"
            + " slices.sliceGradients(s), $L_W, $L_B, $L)",
            CONV2D, p.grad(), p.in().value(), k, k, sizes("slices.sliceRows(s)", k)))
        .add(backwardInput(p, g))
        .build();
  }

  @Override
  public CodeBlock forwardImages(LayerPlan p) {
    String k = p.prefix();
    return CodeBlock.builder()
        .add("// $L\n", banner(p))
        .addStatement(
            "$T.forward($L, params, $L_W, $L_B, $L, $L, $L)",
            CONV2D, p.in().value(), k, k, p.value(), sizes("from, to", k), Code.act(p.producer()))
        .build();
  }

  @Override
  public CodeBlock backwardImages(LayerPlan p, Graph g) {
    String k = p.prefix();
    CodeBlock.Builder code = CodeBlock.builder()
        .add("// $L; the parameter gradient's partial sums of these images' blocks\n", banner(p))
        .addStatement(
            "$T.weightPartials($L, $L, from, to, batch, $L, $L)",
            CONV2D, p.grad(), p.in().value(), partialsField(p), sizes(null, k))
        .beginControlFlow("if (to - from == batch)")
        .add("// The whole batch on this thread: the sums now, while they are in cache.\n")
        .add(afterBackward(p))
        .endControlFlow();
    String target = g.gradientTarget(p, 0);
    if (target != null) {
      code.addStatement(
          "$T.backwardInput($L, params, $L_W, $L, $L, $L, $L)",
          CONV2D, p.grad(), k, p.in().value(), target, sizes("from, to", k),
          Code.act(p.in().producer()));
    }
    return code.build();
  }

  @Override
  public CodeBlock beforeBackward(LayerPlan p) {
    String k = p.prefix();
    return CodeBlock.builder()
        .addStatement("$L = $T.partialsFor($L, batch, $L_IN_C, $L_OUT_C, $L_K, $L_STRIDE)",
            partialsField(p), CONV2D, partialsField(p), k, k, k, k)
        .build();
  }

  @Override
  public CodeBlock afterBackward(LayerPlan p) {
    String k = p.prefix();
    return CodeBlock.builder()
        .addStatement(
            "$T.reducePartials($L, grads, $L_W, $L_B, batch, $L_IN_C, $L_OUT_C, $L_K, $L_STRIDE)",
            CONV2D, partialsField(p), k, k, k, k, k, k)
        .build();
  }

  /** {@code c1Partials}: the parameter gradient's partial sums per block of images. */
  @Override
  public String partialsField(LayerPlan p) {
    return p.ident() + "Partials";
  }

  /** The input's gradient, on all images at once, where {@link Graph#gradientTarget} says. */
  private static CodeBlock backwardInput(LayerPlan p, Graph g) {
    String k = p.prefix();
    CodeBlock.Builder code = CodeBlock.builder();
    String target = g.gradientTarget(p, 0);
    if (target != null) {
      code.addStatement(
          "$T.backwardInput($L, params, $L_W, $L, $L, $L, $L)",
          CONV2D, p.grad(), k, p.in().value(), target, sizes("batch", k), Code.act(p.in().producer()));
      code.add(g.accumulate(p, 0));
    }
    return code.build();
  }
}
