package dev.annonet.processor.layers;

import dev.annonet.processor.model.LayerReading;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The layer annotations by simple name, each with the {@code read} of its kind: the one list a
 * new layer kind is added to (see the checklist in the package documentation of {@code
 * dev.annonet.processor}).
 */
public final class Layers {
  private static final Map<String, Function<LayerReading, LayerNode>> READERS = Map.ofEntries(
      Map.entry("Input", InputNode::read),
      Map.entry("Dense", DenseNode::read),
      Map.entry("Flatten", FlattenNode::read),
      Map.entry("Conv2d", Conv2dNode::read),
      Map.entry("MaxPool", MaxPoolNode::read),
      Map.entry("AvgPool", AvgPoolNode::read),
      Map.entry("Dropout", DropoutNode::read),
      Map.entry("BatchNorm", BatchNormNode::read),
      Map.entry("LayerNorm", LayerNormNode::read),
      Map.entry("Add", AddNode::read),
      Map.entry("Concat", ConcatNode::read),
      Map.entry("TokenInput", TokenInputNode::read),
      Map.entry("SequenceInput", SequenceInputNode::read),
      Map.entry("Embedding", EmbeddingNode::read),
      Map.entry("PositionalEmbedding", PositionalEmbeddingNode::read),
      Map.entry("LastStep", LastStepNode::read),
      Map.entry("MeanOverSteps", MeanOverStepsNode::read),
      Map.entry("CausalSelfAttention", CausalSelfAttentionNode::read),
      Map.entry("Lstm", LstmNode::read),
      Map.entry("Gru", GruNode::read));

  private Layers() {}

  /** Whether {@code annotation} (a simple name, e.g. {@code Dense}) is a layer annotation. */
  public static boolean isLayer(String annotation) {
    return READERS.containsKey(annotation);
  }

  /** The simple names of the layer annotations. */
  public static Set<String> annotations() {
    return READERS.keySet();
  }

  /** The node read from a field annotated {@code annotation}, a layer annotation. */
  public static LayerNode read(String annotation, LayerReading reading) {
    return READERS.get(annotation).apply(reading);
  }
}
