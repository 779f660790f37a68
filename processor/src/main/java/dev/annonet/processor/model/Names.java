package dev.annonet.processor.model;

/**
 * Qualified names of the runtime's annotations and types. The processor reads annotations by
 * name, so it does not depend on the runtime at compile time.
 */
public final class Names {
  public static final String NN = "dev.annonet.nn.";
  public static final String NETWORK = NN + "Network";
  public static final String LAYER = NN + "Layer";
  public static final String INPUT = NN + "Input";
  public static final String DENSE = NN + "Dense";
  public static final String FLATTEN = NN + "Flatten";

  /** Simple names of the layer annotations, one per field. */
  public static final java.util.Set<String> LAYERS =
      java.util.Set.of(
          "Input", "Dense", "Flatten", "Conv2d", "MaxPool", "AvgPool", "Dropout", "BatchNorm",
          "LayerNorm", "Add", "Concat");
  public static final String PHI = NN + "Phi";
  public static final String PHI_DERIVATIVE = NN + "PhiDerivative";

  private Names() {}
}
