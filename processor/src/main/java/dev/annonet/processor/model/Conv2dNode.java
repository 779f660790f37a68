package dev.annonet.processor.model;

/**
 * {@code @Conv2d(filters, kernel, stride, padding)}: a square-kernel convolution; padding
 * {@link #SAME} keeps height and width.
 */
public record Conv2dNode(
    String name, int filters, int kernel, int stride, int padding, Activation activation,
    Origin origin) implements LayerNode {

  /** The value of {@code Conv2d.SAME}. */
  public static final int SAME = -1;

  @Override
  public String kind() {
    return "Conv2d";
  }

  /** The padding on each side: {@code (kernel - 1) / 2} for {@link #SAME}. */
  public int effectivePadding() {
    return padding == SAME ? (kernel - 1) / 2 : padding;
  }
}
