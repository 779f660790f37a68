package dev.annonet.processor.shapes;

import dev.annonet.processor.layers.LayerNode;

/** The summary printed as a javac note for a valid network: a table of its layers. */
public final class Summary {
  private Summary() {}

  /** The note's text. */
  public static String of(CheckedNetwork net) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            "[Annonet] %s: %s -> %s, %,d parameters, %,d multiply-adds per sample, loss @%s%n",
            net.model().simpleName(),
            net.inputShape(),
            net.outputShape(),
            net.totalParameters(),
            net.totalMultiplyAdds(),
            net.model().loss().kind().annotation()));
    // The output column is 10 wide, or as wide as its longest shape ("tokens 64 (vocab 65)").
    int width = 10;
    for (Shape shape : net.shapes()) {
      width = Math.max(width, String.valueOf(shape).length());
    }
    s.append(
        String.format(
            "  %-12s %-22s %" + width + "s %12s %14s%n",
            "layer",
            "kind",
            "output",
            "parameters",
            "multiply-adds"));
    for (int i = 0; i < net.layers().size(); i++) {
      LayerNode node = net.layers().get(i);
      String activation = node.activation().display();
      String kind = node.kind() + (activation.isEmpty() ? "" : " " + activation);
      s.append(
          String.format(
              "  %-12s %-22s %" + width + "s %,12d %,14d%n",
              node.name(),
              kind,
              net.shapes().get(i),
              net.parameters(i),
              net.multiplyAdds(i)));
    }
    return s.toString().stripTrailing();
  }
}
