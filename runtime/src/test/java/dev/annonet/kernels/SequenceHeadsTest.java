package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link LastStep} and {@link MeanOverSteps}: their values, and their input gradients against
 * central differences of {@code L = sum(out * r)} (summed in double) through a tanh.
 */
class SequenceHeadsTest {
  private static final int BATCH = 2;
  private static final int STEPS = 5;
  private static final int FEATURES = 3;

  /** A head's forward, as the tests call it. */
  interface Head {
    void forward(float[] in, float[] out, int batch, int steps, int features);
  }

  /** A head's backward. */
  interface HeadBackward {
    void backward(float[] dOut, float[] in, float[] dIn, int batch, int steps, int features,
        Activation act, float alpha);
  }

  @Test
  void lastStepTakesTheLastPosition() {
    float[] in = Naive.random(new SplittableRandom(1), BATCH * STEPS * FEATURES, 1);
    float[] out = new float[BATCH * FEATURES];
    LastStep.forward(in, out, BATCH, STEPS, FEATURES);
    assertEquals(in[(STEPS - 1) * FEATURES + 2], out[2]);
    assertEquals(in[(2 * STEPS - 1) * FEATURES], out[FEATURES]);
  }

  @Test
  void meanOverStepsAveragesThePositions() {
    float[] in = Naive.random(new SplittableRandom(2), BATCH * STEPS * FEATURES, 1);
    float[] out = new float[BATCH * FEATURES];
    MeanOverSteps.forward(in, out, BATCH, STEPS, FEATURES);
    double sum = 0;
    for (int t = 0; t < STEPS; t++) {
      sum += in[(STEPS + t) * FEATURES + 1];
    }
    assertEquals(sum / STEPS, out[FEATURES + 1], 1e-6);
  }

  @Test
  void lastStepGradientMatchesCentralDifferences() {
    check("LastStep", LastStep::forward, LastStep::backward);
  }

  @Test
  void meanOverStepsGradientMatchesCentralDifferences() {
    check("MeanOverSteps", MeanOverSteps::forward, MeanOverSteps::backward);
  }

  private static void check(String what, Head head, HeadBackward backward) {
    int n = BATCH * STEPS * FEATURES;
    float[] z = Naive.random(new SplittableRandom(3), n, 2);
    float[] r = Naive.random(new SplittableRandom(4), BATCH * FEATURES, 1);
    float[] in = new float[n];
    float[] out = new float[BATCH * FEATURES];
    GradientCheck.Scalar loss = () -> {
      System.arraycopy(z, 0, in, 0, n);
      Activation.TANH.applyInPlace(in, 0, n, 0f);
      head.forward(in, out, BATCH, STEPS, FEATURES);
      double sum = 0;
      for (int t = 0; t < out.length; t++) {
        sum += (double) out[t] * r[t];
      }
      return sum;
    };
    loss.value();
    float[] dz = new float[n];
    java.util.Arrays.fill(dz, 9f);
    backward.backward(r, in, dz, BATCH, STEPS, FEATURES, Activation.TANH, 0f);
    GradientCheck.assertGradient(what + " input", dz, 0, z, 0, n, loss);
  }
}
