package dev.annonet.processor.layers;

import static dev.annonet.processor.codegen.RuntimeNames.POOL;

import com.palantir.javapoet.CodeBlock;
import dev.annonet.processor.codegen.Code;
import dev.annonet.processor.codegen.LayerPlan;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;

/** {@code @AvgPool(size, stride)}: the mean of each window, per channel. */
public record AvgPoolNode(String name, int size, int stride, Origin origin) implements PoolNode {

  @Override
  public String kind() {
    return "AvgPool";
  }

  // ---- Reading

  /** Reads {@code @AvgPool(size, stride)}. */
  static AvgPoolNode read(LayerReading r) {
    int[] window = PoolNode.readWindow(r, "AvgPool");
    return new AvgPoolNode(r.name(), window[0], window[1], r.origin());
  }

  // ---- Code

  @Override
  public CodeBlock forwardCall(LayerPlan p, String sizes) {
    return CodeBlock.of("$T.avgForward($L, $L, $L)", POOL, p.in().value(), p.value(), sizes);
  }

  @Override
  public CodeBlock backwardCall(LayerPlan p, String target, String sizes) {
    return CodeBlock.of("$T.avgBackward($L, $L, $L, $L, $L)", POOL, p.grad(), p.in().value(),
        target, sizes, Code.act(p.in().producer()));
  }
}
