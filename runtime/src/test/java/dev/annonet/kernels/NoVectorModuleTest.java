package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the kernels in a child JVM launched without the incubator module and its flag. */
class NoVectorModuleTest {

  /** Entry point of the child JVM: one Dense step, then the facts the parent checks. */
  public static void main(String[] args) {
    float[] x = {1f, 2f};
    float[] p = {0.5f, -1f, 0.25f}; // weight [1][2], bias [1]
    float[] out = new float[1];
    Dense.forward(x, p, 0, 2, out, 1, 2, 1, Activation.RELU, 0f);
    float[] nan = new float[1];
    Dense.forward(x, new float[] {Float.NaN, -1f, 0.25f}, 0, 2, nan, 1, 2, 1, Activation.RELU,
        0f);
    float[] g = new float[3];
    Dense.backwardParams(new float[] {1f}, x, g, 0, 2, 1, 2, 1);
    // A product large enough for the packed kernels, to exercise Gemm's dispatch.
    float[] big = new float[64 * 64 + 64];
    java.util.Arrays.fill(big, 0.5f);
    float[] bigOut = new float[16 * 64];
    Dense.forward(big, big, 0, 64 * 64, bigOut, 16, 64, 64, Activation.IDENTITY, 0f);
    // A stride-1 convolution and 2x2 max pooling, which take Vector API kernels when they can:
    // x = 0 .. 80 on a 9x9 image, four weights 0.25 and bias 0 give conv[y][x] = i + 5 with
    // i = 9 y + x; a pool window's maximum is its bottom-right element.
    float[] img = new float[81];
    for (int i = 0; i < 81; i++) {
      img[i] = i;
    }
    float[] cp = {0.25f, 0.25f, 0.25f, 0.25f, 0f};
    float[] conv = new float[64];
    Conv2d.forward(img, cp, 0, 4, conv, 1, 1, 9, 9, 1, 2, 1, 0, Activation.RELU, 0f);
    float[] pooled = new float[16];
    int[] argmax = new int[16];
    Pool.maxForward(conv, pooled, argmax, 1, 1, 8, 8, 2, 2);
    float[] ones = new float[64];
    java.util.Arrays.fill(ones, 1f);
    float[] cg = new float[5];
    Conv2d.backwardParams(ones, img, cg, 0, 4, 1, 1, 9, 9, 1, 2, 1, 0);
    float[] dImg = new float[81];
    Conv2d.backwardInput(ones, cp, 0, img, dImg, 1, 1, 9, 9, 1, 2, 1, 0, Activation.IDENTITY,
        0f);
    System.out.println(Kernels.vectorApiAvailable() + " " + Gemm.choose(16, 64, 64) + " "
        + bigOut[16 * 64 - 1] + " " + out[0] + " " + g[0] + " " + g[1] + " " + pooled[0] + " "
        + argmax[0] + " " + pooled[15] + " " + argmax[15] + " " + cg[0] + " " + cg[4] + " "
        + dImg[0] + " " + dImg[10] + " " + nan[0]);
  }

  @Test
  void kernelsRunWithoutTheVectorModule() throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator
        + "java";
    Process child = new ProcessBuilder(List.of(java, "-cp",
        System.getProperty("java.class.path"), NoVectorModuleTest.class.getName()))
        .redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    child.waitFor(60, TimeUnit.SECONDS);
    // 64 * 0.25 + 0.5 = 16.5; relu(0.5 * 1 - 1 * 2 + 0.25) = relu(-1.25) = 0;
    // dW = dOut * x = (1, 2). Pool: window (0, 0) holds conv 5, 6, 14, 15; the last window's
    // maximum is conv[63] = 75. With dOut = 1: dW[0] = sum of x over the 8x8 top-left block
    // = 2240, db = 64; dX[0] = w[0] = 0.25 and an inner dX = sum of the weights = 1.
    // relu(NaN * 1 - 1 * 2 + 0.25) = NaN, as in PyTorch.
    assertEquals("false TILED 16.5 0.0 1.0 2.0 15.0 9 75.0 63 2240.0 64.0 0.25 1.0 NaN",
        output.trim());
    assertEquals(0, child.exitValue());
  }
}
