package dev.annonet.examples.neuron;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The generated sigmoid neuron's gradient is the lecture's hand-derived one. */
class SigmoidNeuronExampleTest {

  @Test
  void generatedGradientIsTheChainRule() {
    for (long seed = 1; seed <= 5; seed++) {
      SigmoidNeuronModel neuron = new SigmoidNeuronModel(seed);
      float[] x = {0.3f * seed, -1.0f, 2.0f / seed};
      float y = seed % 2;
      neuron.lossAndGradient(x, new float[] {y}, 1);
      float[] p = neuron.parameters();
      float[] g = neuron.gradients();
      double[] hand =
          SigmoidNeuronExample.handGradient(new float[] {p[0], p[1], p[2]}, p[3], x, y);
      assertEquals(hand[0], g[3], 1e-6, "bias, seed " + seed);
      for (int i = 0; i < 3; i++) {
        assertEquals(hand[i + 1], g[i], 1e-6, "w" + (i + 1) + ", seed " + seed);
      }
    }
  }
}
