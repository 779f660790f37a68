package dev.annonet.processor.layers;

import static dev.annonet.processor.codegen.RuntimeNames.POOL;

import com.palantir.javapoet.CodeBlock;
import dev.annonet.processor.codegen.Buffer;
import dev.annonet.processor.codegen.Code;
import dev.annonet.processor.codegen.LayerPlan;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;
import java.util.List;

/** {@code @MaxPool(size, stride)}: the largest value of each window, per channel. */
public record MaxPoolNode(String name, int size, int stride, Origin origin) implements PoolNode {

  @Override
  public String kind() {
    return "MaxPool";
  }

  // ---- Reading

  /** Reads {@code @MaxPool(size, stride)}. */
  static MaxPoolNode read(LayerReading r) {
    int[] window = PoolNode.readWindow(r, "MaxPool");
    return new MaxPoolNode(r.name(), window[0], window[1], r.origin());
  }

  // ---- Code: the forward keeps each window's argmax for the backward

  private static String argmax(LayerPlan p) {
    return p.ident() + "Argmax";
  }

  @Override
  public List<Buffer> buffers(LayerPlan p) {
    return List.of(new Buffer(argmax(p), "Index into the input of each maximum", p.size(), true,
        true, null));
  }

  @Override
  public CodeBlock forwardCall(LayerPlan p, String sizes) {
    return CodeBlock.of("$T.maxForward($L, $L, $L, $L)", POOL, p.in().value(), p.value(),
        argmax(p), sizes);
  }

  @Override
  public CodeBlock backwardCall(LayerPlan p, String target, String sizes) {
    return CodeBlock.of("$T.maxBackward($L, $L, $L, $L, $L, $L)", POOL, p.grad(), argmax(p),
        p.in().value(), target, sizes, Code.act(p.in().producer()));
  }
}
