package dev.annonet.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.Conv2dNode;
import dev.annonet.processor.model.InputNode;
import dev.annonet.processor.model.LayerNode;
import dev.annonet.processor.model.NormNode;
import dev.annonet.processor.shapes.CheckedNetwork;
import dev.annonet.processor.shapes.ShapeChecker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The network as the generator sees it: one {@link LayerPlan} per layer with its buffers and
 * parameter offsets, and for backward, where each gradient goes. A value read by several layers
 * (a residual branch) gets its gradient from each: the last reader writes the gradient buffer,
 * earlier readers write a scratch buffer that is then added in.
 */
final class Graph {
  final List<LayerPlan> plans = new ArrayList<>();
  /** Scratch gradient buffers: name and floats per sample. */
  final Map<String, Integer> scratch = new HashMap<>();

  /** For each value, the edge (reader index, input position) that writes its gradient. */
  private final Map<LayerPlan, List<Integer>> directWriter = new HashMap<>();
  final int parameterCount;

  Graph(CheckedNetwork net) {
    int offset = 0;
    for (int i = 0; i < net.layers().size(); i++) {
      LayerNode node = net.layers().get(i);
      List<LayerPlan> inputs = new ArrayList<>();
      for (int j : net.inputs().get(i)) {
        inputs.add(plans.get(j));
      }
      String ident = uniqueIdent(node.name(), i);
      String prefix = LayerPlan.constantPrefix(ident);
      if (node instanceof InputNode) {
        plans.add(
            new LayerPlan(node, i, ident, prefix, net.shapes().get(i), null, inputs, "x", null,
                node.activation(), -1, -1));
        continue;
      }
      LayerPlan in = inputs.get(0);
      if (node instanceof dev.annonet.processor.model.FlattenNode) {
        // Same floats, same buffers: a flatten only changes how the next layer reads them.
        plans.add(
            new LayerPlan(node, i, ident, prefix, net.shapes().get(i), in.shape(), inputs, in.value(),
                in.grad(), in.producer(), -1, -1));
        continue;
      }
      int weights = 0;
      int biases = 0;
      long count = ShapeChecker.parameters(node, in.shape());
      if (node instanceof NormNode) {
        weights = (int) count / 2;
        biases = weights;
      } else if (count > 0) {
        biases = node instanceof Conv2dNode conv ? conv.filters() : net.shapes().get(i).size();
        weights = (int) count - biases;
      }
      Activation act = node.activation();
      plans.add(
          new LayerPlan(node, i, ident, prefix, net.shapes().get(i), in.shape(), inputs,
              ident + "Out", "d" + LayerPlan.capitalized(ident), act,
              count > 0 ? offset : -1, count > 0 ? offset + weights : -1));
      offset += weights + biases;
    }
    parameterCount = offset;
    assignWriters();
  }

  /**
   * The field name, or {@code name_i} when another layer's name differs from it only in case or
   * underscores (so their constants or buffers would clash), or when its constants would clash
   * with the model's own ({@code INPUT_SIZE}, {@code OUTPUT_SIZE}, ...).
   */
  private String uniqueIdent(String name, int index) {
    String key = LayerPlan.constantPrefix(name).replace("_", "");
    if (RESERVED.contains(key) || !keys.add(key)) {
      keys.add(key + index);
      return name + "_" + index;
    }
    return name;
  }

  private static final java.util.Set<String> RESERVED =
      java.util.Set.of("INPUT", "OUTPUT", "TARGET", "PARAMETER", "PARAMETERCOUNT", "LAYERS");
  private final java.util.Set<String> keys = new java.util.HashSet<>();

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
          scratch.put(scratchName(reader, j, src), src.size());
        }
      }
    }
  }

  /**
   * Where {@code reader}'s backward writes the gradient for its input {@code j}: the source's
   * gradient buffer, a scratch buffer (then {@link #accumulate}), or null when the input is the
   * data, whose gradient nobody needs.
   */
  String gradientTarget(LayerPlan reader, int j) {
    LayerPlan src = source(reader.inputs().get(j));
    if (src.isInput()) {
      return null;
    }
    return directWriter.get(src).equals(List.of(reader.index(), j))
        ? src.grad()
        : scratchName(reader, j, src);
  }

  /** Adds a scratch gradient into its source's buffer; empty when written directly. */
  CodeBlock accumulate(LayerPlan reader, int j) {
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

  private static String scratchName(LayerPlan reader, int j, LayerPlan src) {
    return "d" + LayerPlan.capitalized(src.ident()) + "From" + LayerPlan.capitalized(reader.ident())
        + (j == 0 ? "" : String.valueOf(j));
  }
}
