package dev.annonet.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Random networks around {@code @Lstm} and {@code @Gru} (short sequences, a few hidden units,
 * every step's or the last step's state, stacked, after per-position layers with activations),
 * checked as {@link RandomNetworkTest} checks its own: each compiles into a model that passes the
 * gradient check, or is rejected by Annonet's own errors.
 */
class RandomRecurrentNetworkTest {
  private static final int NETWORKS = 40;
  private static final String[] ACTIVATIONS = {"", "@Relu ", "@Tanh ", "@Sigmoid "};
  private static final String[] LOSSES = {"@SquaredError", "@SoftmaxCrossEntropy",
      "@BinaryCrossEntropy"};

  @TestFactory
  Stream<DynamicTest> randomRecurrentNetworks() {
    return RandomNetworkTest.checkedNetworks("Rnn", 9000, NETWORKS, 4, "random recurrent networks",
        RandomRecurrentNetworkTest::randomNetwork);
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
      all.append(randomNetwork("Rnn" + i, new SplittableRandom(9000 + i)));
    }
    for (String declaration : new String[] {
        "@TokenInput",
        "@SequenceInput",
        "@Lstm(",
        "@Gru(",
        "lastStep = true",
        "@Add(from",
        "@Embedding("
    }) {
      assertTrue(all.indexOf(declaration) >= 0, "no network of the " + NETWORKS + " declares "
          + declaration);
    }
  }

  /**
   * A token or real sequence input, then one to three recurrent layers, each after an optional
   * per-position {@code @Dense} with a random activation, and sometimes with a residual
   * {@code @Add} from that dense layer around it; one network in eight gets a mistake
   * (no embedding, a zero size, an activation on the recurrent layer, a recurrent layer after
   * the sequence became a vector).
   */
  private static String randomNetwork(String name, SplittableRandom rng) {
    StringBuilder s = new StringBuilder("package test;\nimport dev.annonet.nn.*;\n");
    String loss = LOSSES[rng.nextInt(LOSSES.length)];
    s.append("@Network ").append(loss).append("\nabstract class ").append(name).append(" {\n");
    int steps = 1 + rng.nextInt(4);
    boolean mistakes = rng.nextInt(8) == 0;
    if (rng.nextBoolean()) {
      s.append("  @TokenInput(length = ").append(steps).append(", vocabulary = ")
          .append(2 + rng.nextInt(5)).append(") Layer x;\n");
      if (!mistakes || rng.nextBoolean()) {
        s.append("  @Embedding(").append(1 + rng.nextInt(4)).append(") Layer emb;\n");
      }
    } else {
      s.append("  @SequenceInput(length = ").append(steps).append(", features = ")
          .append(1 + rng.nextInt(4)).append(") Layer x;\n");
    }
    int layers = 1 + rng.nextInt(3);
    for (int i = 0; i < layers; i++) {
      int width = 1 + rng.nextInt(4);
      boolean dense = rng.nextBoolean();
      if (dense) {
        s.append("  @Dense(").append(width).append(") ")
            .append(ACTIVATIONS[rng.nextInt(ACTIVATIONS.length)]).append("Layer d").append(i)
            .append(";\n");
      }
      // With a residual around it, the recurrent layer's input has two readers: its gradient
      // from the recurrent layer goes through a scratch buffer.
      boolean residual = dense && rng.nextInt(3) == 0;
      int hidden = mistakes && rng.nextInt(3) == 0 ? rng.nextInt(2) - 1
          : residual ? width : 1 + rng.nextInt(5);
      boolean last = i == layers - 1 && !residual ? rng.nextBoolean()
          : mistakes && rng.nextInt(3) == 0;
      String act = mistakes && rng.nextInt(3) == 0 ? "@Tanh " : "";
      s.append("  @").append(rng.nextBoolean() ? "Lstm" : "Gru").append("(hidden = ")
          .append(hidden).append(last ? ", lastStep = true) " : ") ").append(act)
          .append("Layer r").append(i).append(";\n");
      if (residual) {
        s.append("  @Add(from = \"d").append(i).append("\") ")
            .append(ACTIVATIONS[rng.nextInt(ACTIVATIONS.length)]).append("Layer a").append(i)
            .append(";\n");
      }
    }
    int out = loss.equals("@BinaryCrossEntropy") ? 1 : 2 + rng.nextInt(3);
    s.append("  @Dense(").append(out).append(") Layer out;\n}\n");
    return s.toString();
  }
}
