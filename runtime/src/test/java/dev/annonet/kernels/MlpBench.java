package dev.annonet.kernels;

import java.util.SplittableRandom;

/**
 * Timing main (not a test): forward and backward of the WORKLOADS.md MLPs through the Dense
 * kernels alone (no loss, no optimizer), an upper bound on a generated model's samples/s.
 *
 * <p>Run from runtime/: {@code java --add-modules jdk.incubator.vector -cp
 * target/classes:target/test-classes dev.annonet.kernels.MlpBench}; add
 * {@code -Dannonet.kernels=plain} for the plain path.
 */
public final class MlpBench {

  private MlpBench() {}

  public static void main(String[] args) {
    System.out.println("vector API in use: " + Kernels.vectorApiAvailable());
    run("W1", 32, 13, 64, 64, 1);
    run("W2", 64, 64, 128, 10);
    run("W3", 128, 784, 256, 256, 10);
    run("W4", 256, 1024, 2048, 2048, 10);
  }

  private static void run(String id, int batch, int... sizes) {
    int layers = sizes.length - 1;
    SplittableRandom rnd = new SplittableRandom(1);
    int[] wOff = new int[layers];
    int[] bOff = new int[layers];
    int nParams = 0;
    double macs = 0;
    for (int l = 0; l < layers; l++) {
      wOff[l] = nParams;
      bOff[l] = nParams + sizes[l + 1] * sizes[l];
      nParams = bOff[l] + sizes[l + 1];
      // Forward and dW for every layer, dX for all but the first.
      macs += (l == 0 ? 2.0 : 3.0) * sizes[l] * sizes[l + 1];
    }
    float[] p = Naive.random(rnd, nParams, 0.1);
    float[] g = new float[nParams];
    float[][] act = new float[layers + 1][];
    float[][] grad = new float[layers + 1][];
    for (int l = 0; l <= layers; l++) {
      act[l] = Naive.random(rnd, batch * sizes[l], 1);
      grad[l] = Naive.random(rnd, batch * sizes[l], 1);
    }
    int steps = (int) Math.max(20, 3e9 / (2 * macs * batch));
    double best = 0;
    for (int round = 0; round < 5; round++) {
      long t0 = System.nanoTime();
      for (int s = 0; s < steps; s++) {
        for (int l = 0; l < layers; l++) {
          Activation a = l + 1 < layers ? Activation.RELU : Activation.IDENTITY;
          Dense.forward(act[l], p, wOff[l], bOff[l], act[l + 1], batch, sizes[l], sizes[l + 1],
              a, 0f);
        }
        for (int l = layers - 1; l >= 0; l--) {
          Dense.backwardParams(grad[l + 1], act[l], g, wOff[l], bOff[l], batch, sizes[l],
              sizes[l + 1]);
          if (l > 0) {
            Dense.backwardInput(grad[l + 1], p, wOff[l], act[l], grad[l], batch, sizes[l],
                sizes[l + 1], Activation.RELU, 0f);
          }
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      best = Math.max(best, (double) steps * batch / seconds);
    }
    System.out.printf("%s batch %d: %.0f samples/s, %.1f GFLOP/s%n", id, batch, best,
        best * 2 * macs / 1e9);
  }
}
