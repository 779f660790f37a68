package dev.annonet.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Random sequence networks ({@code @TokenInput} or {@code @SequenceInput}, layers at every
 * position, causal self-attention, heads, per-position losses), checked as {@link
 * RandomNetworkTest} checks its own: each compiles into a model that passes the gradient check,
 * or is rejected by Annonet's own errors.
 */
class RandomSequenceNetworkTest {
  private static final int NETWORKS = 80;
  private static final String[] ACTIVATIONS = {"", "@Relu ", "@Tanh ", "@Sigmoid "};
  private static final String[] LOSSES = {"@SquaredError", "@SoftmaxCrossEntropy",
      "@BinaryCrossEntropy", "@HalfSquaredError"};

  @TestFactory
  Stream<DynamicTest> randomSequenceNetworks() {
    return RandomNetworkTest.checkedNetworks("Seq", 5000, NETWORKS, 4, "random sequence networks",
        RandomSequenceNetworkTest::randomNetwork);
  }

  /**
   * The networks checked above exercise what this class says they cover: each of these
   * declarations appears in at least one of them (a generator that stopped producing one would
   * leave it untested while the test stays green).
   */
  @Test
  void theGeneratorCoversEveryKindItClaims() {
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < NETWORKS; i++) {
      all.append(randomNetwork("Seq" + i, new SplittableRandom(5000 + i)));
    }
    for (String declaration : new String[] {
        "@TokenInput",
        "@SequenceInput",
        "@Embedding(",
        "@PositionalEmbedding",
        "@CausalSelfAttention(",
        "@LayerNorm",
        "@LastStep",
        "@MeanOverSteps",
        "@Add("
    }) {
      assertTrue(all.indexOf(declaration) >= 0, "no network of the " + NETWORKS + " declares "
          + declaration);
    }
  }

  /**
   * An input, one to five layers chosen mostly to fit the current shape (one in six is any
   * layer, valid or not), and a {@code @Dense} output layer, with a random loss.
   */
  private static String randomNetwork(String name, SplittableRandom rng) {
    StringBuilder s = new StringBuilder("package test;\nimport dev.annonet.nn.*;\n");
    s.append("@Network ").append(LOSSES[rng.nextInt(LOSSES.length)])
        .append("\nabstract class ").append(name).append(" {\n");
    int steps = 1 + rng.nextInt(4);
    // The current shape: "tokens", "seq" (d values per position) or "vector" (d values).
    String kind;
    int d;
    if (rng.nextBoolean()) {
      kind = "tokens";
      d = 2 + rng.nextInt(5);
      s.append("  @TokenInput(length = ").append(steps).append(", vocabulary = ").append(d);
    } else {
      kind = "seq";
      d = 1 + rng.nextInt(4);
      s.append("  @SequenceInput(length = ").append(steps).append(", features = ").append(d);
    }
    s.append(") Layer x;\n");
    List<String> names = new ArrayList<>(List.of("x"));
    List<String> shapes = new ArrayList<>(List.of(kind + d));
    int layers = 1 + rng.nextInt(5);
    for (int i = 0; i < layers; i++) {
      String act = ACTIVATIONS[rng.nextInt(ACTIVATIONS.length)];
      String layer;
      if (rng.nextInt(6) == 0) {
        layer = anyLayer(rng, names, act);
      } else if (kind.equals("tokens")) {
        d = 1 + rng.nextInt(5);
        kind = "seq";
        layer = "@Embedding(" + d + ") ";
      } else if (kind.equals("vector")) {
        d = 1 + rng.nextInt(5);
        layer = "@Dense(" + d + ") " + act;
      } else {
        int choice = rng.nextInt(8);
        List<String> same = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
          if (shapes.get(j).equals(kind + d)) {
            same.add(names.get(j));
          }
        }
        if (choice == 0) {
          layer = "@LayerNorm " + act;
        } else if (choice == 1) {
          layer = "@Dropout(0.25) ";
        } else if (choice == 2) {
          layer = "@PositionalEmbedding ";
        } else if (choice == 3 && !same.isEmpty()) {
          layer = "@Add(from = \"" + same.get(rng.nextInt(same.size())) + "\") " + act;
        } else if (choice == 7) {
          int heads = d;
          while (d % heads != 0 || heads > 1 && rng.nextBoolean()) {
            heads--;
          }
          layer = "@CausalSelfAttention(heads = " + heads + ") ";
        } else if (choice == 4) {
          kind = "vector";
          layer = rng.nextBoolean() ? "@LastStep " : "@MeanOverSteps ";
        } else {
          d = 1 + rng.nextInt(5);
          layer = "@Dense(" + d + ") " + act;
        }
      }
      String field = "l" + i;
      s.append("  ").append(layer).append("Layer ").append(field).append(";\n");
      names.add(field);
      shapes.add(kind + d);
    }
    if (kind.equals("tokens")) {
      s.append("  @Embedding(3) Layer emb;\n");
    }
    int out = s.indexOf("@BinaryCrossEntropy") >= 0 ? 1 : 2 + rng.nextInt(3);
    s.append("  @Dense(").append(out).append(") Layer out;\n}\n");
    return s.toString();
  }

  /** Any layer kind with any settings, including sizes of zero and kinds for other shapes. */
  private static String anyLayer(SplittableRandom rng, List<String> names, String act) {
    return switch (rng.nextInt(10)) {
      case 0 -> "@Embedding(" + rng.nextInt(3) + ") " + act;
      case 1 -> "@PositionalEmbedding " + act;
      case 2 -> rng.nextBoolean() ? "@LastStep " : "@MeanOverSteps ";
      case 3 -> "@Conv2d(filters = 1, kernel = 1) ";
      case 4 -> "@Flatten ";
      case 5 -> "@BatchNorm " + act;
      case 6 -> "@Concat(from = \"" + names.get(rng.nextInt(names.size())) + "\") ";
      case 7 -> "@Dense(" + rng.nextInt(3) + ") " + act;
      case 8 -> "@CausalSelfAttention(heads = " + rng.nextInt(4) + ") " + act;
      default -> "@TokenInput(length = " + rng.nextInt(3) + ", vocabulary = 4) ";
    };
  }
}
