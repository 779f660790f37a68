package dev.annonet.processor.model;

/** {@code @MaxPool(size, stride)} or {@code @AvgPool(size, stride)}: pooling per channel. */
public sealed interface PoolNode extends LayerNode permits MaxPoolNode, AvgPoolNode {

  /** Height and width of the window. */
  int size();

  /** Step between windows (the window size when the annotation leaves it 0). */
  int stride();

  @Override
  default Activation activation() {
    return Activation.none(origin());
  }
}
