package dev.annonet.processor.model;

/** {@code @BatchNorm} or {@code @LayerNorm}: normalisation with a learnt scale and shift. */
public sealed interface NormNode extends LayerNode permits BatchNormNode, LayerNormNode {

  /** Added to the variance before the square root. */
  float eps();
}
