package dev.annonet.processor.shapes;

import dev.annonet.processor.model.LayerNode;
import dev.annonet.processor.model.NetworkModel;
import java.util.List;

/**
 * A network whose shapes all check: the model with every layer's output shape, ready for the
 * summary and the generator.
 */
public record CheckedNetwork(NetworkModel model, List<Shape> shapes) {

  public List<LayerNode> layers() {
    return model.layers();
  }

  public Shape inputShape() {
    return shapes.get(0);
  }

  public Shape outputShape() {
    return shapes.get(shapes.size() - 1);
  }

  /** The input shape of layer {@code i > 0}: the previous layer's output. */
  public Shape inputOf(int i) {
    return shapes.get(i - 1);
  }

  /** Number of parameters of layer {@code i}. */
  public long parameters(int i) {
    return ShapeChecker.parameters(layers().get(i), i == 0 ? null : inputOf(i));
  }

  /** Multiply-adds per sample in layer {@code i}'s forward pass. */
  public long multiplyAdds(int i) {
    return ShapeChecker.multiplyAdds(layers().get(i), i == 0 ? null : inputOf(i));
  }

  public long totalParameters() {
    long n = 0;
    for (int i = 0; i < layers().size(); i++) {
      n += parameters(i);
    }
    return n;
  }

  public long totalMultiplyAdds() {
    long n = 0;
    for (int i = 0; i < layers().size(); i++) {
      n += multiplyAdds(i);
    }
    return n;
  }
}
