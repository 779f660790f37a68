package dev.annonet.processor.shapes;

import dev.annonet.processor.layers.LayerNode;
import dev.annonet.processor.model.NetworkModel;
import java.util.List;

/**
 * A network whose shapes all check: the model with every layer's output shape and the layers
 * each one reads, ready for the summary and the generator.
 *
 * @param inputs for each layer, the indices of the layers whose outputs it reads: the previous
 *     layer first, then a merge's {@code from} layers; empty for the input
 * @param layouts for each layer, its slice of the parameter buffer ({@link ParameterLayout#NONE}
 *     for a layer without parameters)
 */
public record CheckedNetwork(
    NetworkModel model, List<Shape> shapes, List<List<Integer>> inputs,
    List<ParameterLayout> layouts) {

  public List<LayerNode> layers() {
    return model.layers();
  }

  public Shape inputShape() {
    return shapes.get(0);
  }

  public Shape outputShape() {
    return shapes.get(shapes.size() - 1);
  }

  /** The shape layer {@code i > 0} reads first: the previous layer's output. */
  public Shape inputOf(int i) {
    return shapes.get(i - 1);
  }

  /** Layer {@code i}'s slice of the parameter buffer. */
  public ParameterLayout layout(int i) {
    return layouts.get(i);
  }

  /** Number of parameters of layer {@code i}. */
  public long parameters(int i) {
    return layouts.get(i).count();
  }

  /** Multiply-adds per sample in layer {@code i}'s forward pass. */
  public long multiplyAdds(int i) {
    return i == 0 ? 0 : layers().get(i).multiplyAdds(inputOf(i), shapes.get(i));
  }

  /** Number of parameters of the whole network, which checking has found to fit an array. */
  public int totalParameters() {
    long n = 0;
    for (ParameterLayout layout : layouts) {
      n += layout.count();
    }
    return (int) n;
  }

  public long totalMultiplyAdds() {
    long n = 0;
    for (int i = 0; i < layers().size(); i++) {
      n += multiplyAdds(i);
    }
    return n;
  }
}
