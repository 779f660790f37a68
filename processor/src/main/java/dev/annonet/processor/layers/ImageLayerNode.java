package dev.annonet.processor.layers;

import com.palantir.javapoet.CodeBlock;
import dev.annonet.processor.codegen.Graph;
import dev.annonet.processor.codegen.LayerPlan;

/**
 * A layer that treats each image on its own, so that the leading run of such layers can run as
 * one pass over ranges of images on the kernel threads ({@code ImageChain}): {@link
 * Conv2dNode} and the {@link PoolNode}s. The code it gives works on images {@code [from, to)} of
 * a batch of {@code batch}; a convolution's parameter gradient goes to partial sums that the
 * model adds up after a split pass ({@link #afterBackward}) and a pass run whole adds up itself.
 */
public interface ImageLayerNode {

  /** The forward pass on images {@code [from, to)}. */
  CodeBlock forwardImages(LayerPlan p);

  /**
   * The backward pass on images {@code [from, to)}: the parameter gradient's partial sums of
   * their blocks, and the input's gradient where {@link Graph#gradientTarget} says (never a
   * scratch buffer: only the next layer reads a layer of the pass).
   */
  CodeBlock backwardImages(LayerPlan p, Graph g);

  /** What the model does before the backward pass over the images (partial sums sized). */
  default CodeBlock beforeBackward(LayerPlan p) {
    return CodeBlock.of("");
  }

  /**
   * What the model does once the backward pass has run on every image, split between threads
   * (partial sums added; a pass run whole adds them itself).
   */
  default CodeBlock afterBackward(LayerPlan p) {
    return CodeBlock.of("");
  }

  /** The field this layer needs for the pass besides its buffers, or null. */
  default String partialsField(LayerPlan p) {
    return null;
  }
}
