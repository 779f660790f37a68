package dev.annonet.processor.layers;

import com.palantir.javapoet.ClassName;
import dev.annonet.processor.codegen.RuntimeNames;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.model.Origin;

/** {@code @Lstm(hidden, lastStep)}: PyTorch's {@code nn.LSTM}, gates i, f, g, o. */
public record LstmNode(String name, int hidden, boolean lastStep, Origin origin)
    implements RecurrentNode {

  @Override
  public String kind() {
    return "Lstm";
  }

  // ---- Reading

  /** Reads {@code @Lstm(hidden, lastStep)}: hidden positive, no activation. */
  static LstmNode read(LayerReading r) {
    int hidden = RecurrentNode.readHidden(r, "Lstm", "LSTM", "sigmoid gates and h = o * tanh(c)");
    return new LstmNode(r.name(), hidden, r.settings().booleanValue("lastStep"), r.origin());
  }

  // ---- Shape rule, parameters and code: those of every RecurrentNode

  @Override
  public int gates() {
    return 4;
  }

  @Override
  public ClassName kernel() {
    return RuntimeNames.LSTM;
  }

  @Override
  public String torchName() {
    return "LSTM";
  }
}
