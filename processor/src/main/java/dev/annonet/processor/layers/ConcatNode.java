package dev.annonet.processor.layers;

import static dev.annonet.processor.codegen.RuntimeNames.MERGE;
import static dev.annonet.processor.shapes.ShapeChecker.MAX_ARRAY;

import com.palantir.javapoet.CodeBlock;
import dev.annonet.processor.codegen.Code;
import dev.annonet.processor.codegen.LayerPlan;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;
import java.util.List;

/** {@code @Concat(from = ...)}: outputs joined per sample, images along their channels. */
public record ConcatNode(String name, List<String> from, Activation activation, Origin origin)
    implements MergeNode {

  @Override
  public String kind() {
    return "Concat";
  }

  // ---- Reading

  /** Reads {@code @Concat(from = ...)}; the names are checked with the shapes. */
  static ConcatNode read(LayerReading r) {
    return new ConcatNode(r.name(), r.settings().strings("from"), r.activation(), r.origin());
  }

  // ---- Shape rule and parameters

  /** Vectors or images; sequences are not joined (yet). */
  @Override
  public boolean accepts(ShapeContext c) {
    return c.vectorOrImageInput(this, "vectors or images",
        "reduce it to a vector with @LastStep or @MeanOverSteps, or @Add sequences of the same"
            + " shape");
  }

  /** Vectors join vectors; images join images of the same height and width. */
  @Override
  public Mismatch mismatch(Shape first, Shape other) {
    if (other.isSequence()) {
      return new Mismatch("joins vectors or images, not sequences",
          "reduce the sequence to a vector with @LastStep or @MeanOverSteps");
    }
    if (other.isVector() != first.isVector() || (!first.isVector()
        && (other.dims()[1] != first.dims()[1] || other.dims()[2] != first.dims()[2]))) {
      return first.isVector() || other.isVector()
          ? new Mismatch("joins vectors with vectors or images with images",
              "add @Flatten to the image branch")
          : new Mismatch("joins images of the same height and width",
              "pool or pad one branch to match");
    }
    return null;
  }

  /** The inputs' channels (a vector's values) one after the other. */
  @Override
  public Shape joined(ShapeContext c) {
    Shape first = c.in();
    long channels = 0;
    for (int k = 0; k < c.inputCount(); k++) {
      channels += c.inputShape(k).dims()[0];
    }
    long values = channels * (first.longSize() / first.dims()[0]);
    if (values > MAX_ARRAY) {
      String shape = first.isVector() ? String.valueOf(channels)
          : channels + "x" + first.dims()[1] + "x" + first.dims()[2];
      c.outputTooLarge(this, shape, values);
      return null;
    }
    int[] dims = first.dims().clone();
    dims[0] = (int) channels;
    return new Shape(dims);
  }

  @Override
  public String smallerOutput() {
    return "fewer or smaller branches";
  }

  // ---- Code: each input copied into its place, then the activation

  @Override
  public String joiner() {
    return " | ";
  }

  @Override
  public void forwardCalls(LayerPlan p, CodeBlock.Builder code, String n) {
    int offset = 0;
    for (LayerPlan input : p.inputs()) {
      code.addStatement(
          "$T.concat($L, $L_SIZE, $L, $L, $L, batch)", MERGE, p.value(), p.prefix(), offset,
          input.value(), input.size());
      offset += input.size();
    }
    if (!p.producer().isNone()) {
      code.addStatement(
          "$L.applyInPlace($L, 0, $L, $L)", Code.activation(p.producer()), p.value(), n,
          Code.alpha(p.producer()));
    }
  }

  @Override
  public CodeBlock backwardCall(LayerPlan p, LayerPlan input, String target, int offset) {
    return CodeBlock.of("$T.concatBackward($L, $L_SIZE, $L, $L, $L, $L, batch, $L)", MERGE,
        p.grad(), p.prefix(), offset, input.value(), target, input.size(),
        Code.act(input.producer()));
  }
}
