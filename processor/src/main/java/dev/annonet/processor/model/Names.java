package dev.annonet.processor.model;

/**
 * Qualified names of the runtime's annotations and types. The processor reads annotations by
 * name, so it does not depend on the runtime at compile time.
 */
public final class Names {
  public static final String NN = "dev.annonet.nn.";
  public static final String NETWORK = NN + "Network";
  public static final String LAYER = NN + "Layer";
  public static final String PHI = NN + "Phi";
  public static final String PHI_DERIVATIVE = NN + "PhiDerivative";

  private Names() {}
}
