package dev.annonet.processor.layers;

import dev.annonet.processor.Message;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;

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

  /**
   * Reads {@code @Conv2d}: positive filters, kernel and stride, a padding of at least 0 or
   * {@link #SAME}, and SAME only where it keeps the size.
   */
  static Conv2dNode read(LayerReading r) {
    String name = r.name();
    Origin origin = r.origin();
    int filters = r.settings().intValue("filters");
    int kernel = r.settings().intValue("kernel");
    int stride = r.settings().intValue("stride");
    int padding = r.settings().intValue("padding");
    r.positive(origin.at("filters"), "@Conv2d filters of", filters, "filters = 6");
    r.positive(origin.at("kernel"), "@Conv2d kernel of", kernel, "kernel = 5");
    r.positive(origin.at("stride"), "@Conv2d stride of", stride, "stride = 1");
    if (padding < SAME) {
      r.error(
          origin.at("padding"),
          Message.NON_POSITIVE_SIZE,
          "@Conv2d padding of",
          name,
          padding,
          "padding = 0, padding = 2 or padding = Conv2d.SAME");
    } else if (padding == SAME && kernel > 0 && (stride != 1 || kernel % 2 == 0)) {
      r.error(
          origin.at("padding"),
          Message.SAME_PADDING,
          name,
          stride != 1 ? "stride " + stride : "the even kernel " + kernel);
    }
    return new Conv2dNode(name, filters, kernel, stride, padding, r.activation(), origin);
  }

  @Override
  public boolean hasParameters() {
    return true;
  }
}
