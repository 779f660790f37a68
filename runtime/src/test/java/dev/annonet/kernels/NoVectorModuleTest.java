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
    System.out.println(Kernels.vectorApiAvailable() + " " + Gemm.choose(16, 64, 64) + " "
        + bigOut[16 * 64 - 1] + " " + out[0] + " " + g[0] + " " + g[1] + " " + nan[0]);
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
    // dW = dOut * x = (1, 2); relu(NaN * 1 - 1 * 2 + 0.25) = NaN, as in PyTorch.
    assertEquals("false TILED 16.5 0.0 1.0 2.0 NaN", output.trim());
    assertEquals(0, child.exitValue());
  }
}
