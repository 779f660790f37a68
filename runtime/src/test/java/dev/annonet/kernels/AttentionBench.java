package dev.annonet.kernels;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Timing main (not a test): forward and backward of the Attention kernels at W6's size (batch
 * 32, T 64, width 128, 4 heads), then PyTorch's nn.MultiheadAttention with a causal mask at the
 * same size and thread count in the same run ({@code reference/attention/time_attention.py}, run
 * with {@code /usr/bin/python3} on Debian's OpenMP OpenBLAS when it is installed, as
 * ../shared/bench/blas.sh does), then the Java kernels again; prints the ratio of the best
 * times.
 *
 * <p>Run from runtime/: {@code java --add-modules jdk.incubator.vector -cp
 * target/classes:target/test-classes dev.annonet.kernels.AttentionBench [threads]}; add {@code
 * -Dannonet.kernels=plain} for the plain path.
 */
public final class AttentionBench {

  private static final String SCRIPT = "src/test/resources/reference/attention/time_attention.py";

  /** Debian's OpenMP OpenBLAS, which the reference figures of WORKLOADS.md were taken on. */
  private static final Path OPENBLAS = Path.of("/usr/lib/x86_64-linux-gnu/openblas-openmp");

  private AttentionBench() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int batch = 32;
    int t = 64;
    int d = 128;
    int heads = 4;
    Kernels.setThreads(threads);
    System.out.printf("vector API in use: %s, %d thread(s), batch %d T %d d %d heads %d%n",
        Kernels.vectorApiAvailable(), threads, batch, t, d, heads);
    double java = time(batch, t, d, heads);
    System.out.printf("annonet ms %.3f samples/s %.1f%n", java, batch * 1e3 / java);
    ProcessBuilder python = new ProcessBuilder("/usr/bin/python3", SCRIPT, String.valueOf(batch),
        String.valueOf(t), String.valueOf(d), String.valueOf(heads), String.valueOf(threads))
        .redirectErrorStream(true);
    if (Files.isDirectory(OPENBLAS)) {
      python.environment().put("LD_LIBRARY_PATH", OPENBLAS.toString());
    }
    Process torch = python.start();
    String line;
    double torchMs = Double.NaN;
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(torch.getInputStream(), StandardCharsets.UTF_8))) {
      while ((line = r.readLine()) != null) {
        System.out.println(line);
        if (line.startsWith("torch ms ")) {
          torchMs = Double.parseDouble(line.split(" ")[2]);
        }
      }
    }
    torch.waitFor();
    double again = time(batch, t, d, heads);
    System.out.printf("annonet ms %.3f samples/s %.1f (again)%n", again, batch * 1e3 / again);
    System.out.printf("torch / annonet time: %.2f%n", torchMs / Math.min(java, again));
    Kernels.setThreads(1);
  }

  /** Best milliseconds per forward + backward step over 5 rounds of 20, after warm-up. */
  private static double time(int batch, int t, int d, int heads) {
    AttentionStep step = new AttentionStep(batch, t, d, heads, 1);
    double best = Double.POSITIVE_INFINITY;
    for (int round = 0; round < 10; round++) {
      long t0 = System.nanoTime();
      for (int s = 0; s < 20; s++) {
        step.run(Activation.IDENTITY);
      }
      // The first rounds warm the JIT up.
      if (round >= 5) {
        best = Math.min(best, (System.nanoTime() - t0) / 20 / 1e6);
      }
    }
    return best;
  }
}
