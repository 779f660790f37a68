package dev.annonet.processor.layers;

import com.palantir.javapoet.ClassName;
import dev.annonet.processor.codegen.RuntimeNames;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;

/** {@code @Gru(hidden, lastStep)}: PyTorch's {@code nn.GRU}, gates r, z, n. */
public record GruNode(String name, int hidden, boolean lastStep, Origin origin)
    implements RecurrentNode {

  @Override
  public String kind() {
    return "Gru";
  }

  // ---- Reading

  /** Reads {@code @Gru(hidden, lastStep)}: hidden positive, no activation. */
  static GruNode read(LayerReading r) {
    int hidden = RecurrentNode.readHidden(r, "Gru", "GRU", "sigmoid gates and n = tanh(...)");
    return new GruNode(r.name(), hidden, r.settings().booleanValue("lastStep"), r.origin());
  }

  // ---- Shape rule, parameters and code: those of every RecurrentNode

  @Override
  public int gates() {
    return 3;
  }

  @Override
  public ClassName kernel() {
    return RuntimeNames.GRU;
  }

  @Override
  public String torchName() {
    return "GRU";
  }
}
