package dev.annonet.processor.layers;

import com.palantir.javapoet.ClassName;
import dev.annonet.processor.codegen.RuntimeNames;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;

/** {@code @LastStep}: the last position's values of a sequence. */
public record LastStepNode(String name, Origin origin) implements SequenceHeadNode {

  @Override
  public String kind() {
    return "LastStep";
  }

  // ---- Reading

  /** Reads {@code @LastStep}: no settings, no activation. */
  static LastStepNode read(LayerReading r) {
    r.noActivation("LastStep");
    return new LastStepNode(r.name(), r.origin());
  }

  // ---- Shape rule, parameters and code: those of every SequenceHeadNode

  @Override
  public ClassName kernel() {
    return RuntimeNames.LAST_STEP;
  }

  @Override
  public String what() {
    return "the last of";
  }
}
