package dev.annonet.processor.layers;

import com.palantir.javapoet.ClassName;
import dev.annonet.processor.codegen.RuntimeNames;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;

/** {@code @MeanOverSteps}: the mean over the positions of a sequence. */
public record MeanOverStepsNode(String name, Origin origin) implements SequenceHeadNode {

  @Override
  public String kind() {
    return "MeanOverSteps";
  }

  // ---- Reading

  /** Reads {@code @MeanOverSteps}: no settings, no activation. */
  static MeanOverStepsNode read(LayerReading r) {
    r.noActivation("MeanOverSteps");
    return new MeanOverStepsNode(r.name(), r.origin());
  }

  // ---- Shape rule, parameters and code: those of every SequenceHeadNode

  @Override
  public ClassName kernel() {
    return RuntimeNames.MEAN_OVER_STEPS;
  }

  @Override
  public String what() {
    return "the mean over";
  }
}
