package dev.annonet.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import dev.annonet.processor.layers.FlattenNode;
import dev.annonet.processor.layers.ImageLayerNode;
import dev.annonet.processor.layers.InputLayer;
import dev.annonet.processor.layers.LayerNode;
import dev.annonet.processor.shapes.CheckedNetwork;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The network as the generator sees it: one {@link LayerPlan} per layer with its buffers and its
 * slice of the parameters (as the checker laid them out), and for backward, where each gradient
 * goes. A value read by several layers (a residual branch) gets its gradient from each: the last
 * reader writes the gradient buffer, earlier readers write a scratch buffer that is then added
 * in.
 *
 * <p>A layer's identifiers are made from its field name ({@code hidden}: {@code hiddenOut},
 * {@code dHidden}, {@code HIDDEN_W}, ...), and claimed together in {@link Identifiers}: when one
 * of them is taken (a layer {@code d} has {@code dOut}, which a later layer {@code out} would
 * use for its gradient), the later layer is named {@code out_2} in the generated code. Its
 * {@code LayerInfo}, its state names and its messages keep the field name.
 */
public final class Graph {
  final List<LayerPlan> plans = new ArrayList<>();
  /** Scratch gradient buffers: name and floats per sample. */
  final Map<String, Integer> scratch = new HashMap<>();

  /** For each value, the edge (reader index, input position) that writes its gradient. */
  private final Map<LayerPlan, List<Integer>> directWriter = new HashMap<>();
  /** The scratch buffer of each edge (reader index, input position) that has one. */
  private final Map<List<Integer>, String> scratchOf = new HashMap<>();
  private final Identifiers ids;

  Graph(CheckedNetwork net, Identifiers ids) {
    this.ids = ids;
    for (int i = 0; i < net.layers().size(); i++) {
      LayerNode node = net.layers().get(i);
      List<LayerPlan> inputs = new ArrayList<>();
      for (int j : net.inputs().get(i)) {
        inputs.add(plans.get(j));
      }
      Shape shape = net.shapes().get(i);
      if (node instanceof InputLayer) {
        // The input is the parameter x of forward and backward: it declares nothing.
        plans.add(
            new LayerPlan(node, i, node.name(), LayerPlan.constantPrefix(node.name()), shape,
                null, inputs, "x", null, node.activation(), ParameterLayout.NONE));
        continue;
      }
      LayerPlan in = inputs.get(0);
      if (node instanceof FlattenNode) {
        // Same floats, same buffers: a flatten only changes how the next layer reads them.
        plans.add(
            new LayerPlan(node, i, node.name(), LayerPlan.constantPrefix(node.name()), shape,
                in.shape(), inputs, in.value(), in.grad(), in.producer(), ParameterLayout.NONE));
        continue;
      }
      // The field name, unless one of the identifiers made from it is taken (another layer's
      // buffer or constant, the model's own): then name_2, name_3, ...
      for (int n = 1; ; n++) {
        if (n > ids.size() + 1) {
          throw new IllegalStateException("no identifiers can be made from " + node.name());
        }
        String ident = n == 1 ? node.name() : node.name() + "_" + n;
        LayerPlan plan =
            new LayerPlan(node, i, ident, LayerPlan.constantPrefix(ident), shape, in.shape(),
                inputs, ident + "Out", "d" + LayerPlan.capitalized(ident),
                node.activation().fused(), net.layout(i));
        if (ids.claimAll(declared(plan))) {
          plans.add(plan);
          break;
        }
      }
    }
    assignWriters();
  }

  /** Every identifier a computing layer's code declares: buffers and constants. */
  private static List<String> declared(LayerPlan p) {
    List<String> names = new ArrayList<>();
    ModelGenerator.layerBuffers(p).forEach(b -> names.add(b.name()));
    p.node().constants(p).forEach(f -> names.add(f.name()));
    if (p.node() instanceof ImageLayerNode image && image.partialsField(p) != null) {
      names.add(image.partialsField(p));
    }
    return names;
  }

  /** The layer that computed {@code p}'s buffer: itself, or a flatten's source. */
  static LayerPlan source(LayerPlan p) {
    while (p.isFlatten()) {
      p = p.in();
    }
    return p;
  }

  LayerPlan last() {
    return plans.get(plans.size() - 1);
  }

  /** For every value, the reader processed first in backward (the last one) writes directly. */
  private void assignWriters() {
    for (int i = plans.size() - 1; i >= 1; i--) {
      LayerPlan reader = plans.get(i);
      if (reader.isFlatten()) {
        continue;
      }
      for (int j = 0; j < reader.inputs().size(); j++) {
        LayerPlan src = source(reader.inputs().get(j));
        if (src.isInput()) {
          continue;
        }
        if (!directWriter.containsKey(src)) {
          directWriter.put(src, List.of(reader.index(), j));
        } else {
          String name =
              ids.fresh("d" + LayerPlan.capitalized(src.ident()) + "From"
                  + LayerPlan.capitalized(reader.ident()) + (j == 0 ? "" : String.valueOf(j)));
          scratchOf.put(List.of(reader.index(), j), name);
          scratch.put(name, src.size());
        }
      }
    }
  }

  /**
   * Where {@code reader}'s backward writes the gradient for its input {@code j}: the source's
   * gradient buffer, a scratch buffer (then {@link #accumulate}), or null when the input is the
   * data, whose gradient nobody needs.
   */
  public String gradientTarget(LayerPlan reader, int j) {
    LayerPlan src = source(reader.inputs().get(j));
    if (src.isInput()) {
      return null;
    }
    return directWriter.get(src).equals(List.of(reader.index(), j))
        ? src.grad()
        : scratchOf.get(List.of(reader.index(), j));
  }

  /** Adds a scratch gradient into its source's buffer; empty when written directly. */
  public CodeBlock accumulate(LayerPlan reader, int j) {
    String target = gradientTarget(reader, j);
    LayerPlan src = source(reader.inputs().get(j));
    if (target == null || target.equals(src.grad())) {
      return CodeBlock.of("");
    }
    return CodeBlock.builder()
        .addStatement(
            "$T.accumulate($L, $L, batch * $L)", RuntimeNames.MERGE, src.grad(), target,
            src.size())
        .build();
  }
}
