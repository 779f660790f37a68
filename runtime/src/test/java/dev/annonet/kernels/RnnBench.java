package dev.annonet.kernels;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Timing main (not a test): forward and backward of one LSTM and one GRU layer at the W7 size
 * (batch 32, 32 steps, 64 inputs, 256 hidden units) through the kernels, every parameter
 * gradient and the input's; then, in the same run, PyTorch's {@code nn.LSTM} and {@code nn.GRU}
 * on the same sizes and thread count ({@code src/test/resources/bench/torch_rnn_bench.py} with
 * {@code /usr/bin/python3}), and the ratio. Each side is timed twice, alternately, and keeps
 * its best.
 *
 * <p>Run from runtime/: {@code java --add-modules jdk.incubator.vector -cp
 * target/classes:target/test-classes dev.annonet.kernels.RnnBench [threads]}; add
 * {@code -Dannonet.kernels=plain} for the plain path.
 */
public final class RnnBench {

  private static final int BATCH = 32;
  private static final int STEPS = 32;
  private static final int IN = 64;
  private static final int HIDDEN = 256;
  private static final String TORCH_SCRIPT = "src/test/resources/bench/torch_rnn_bench.py";

  private RnnBench() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    Kernels.setThreads(threads);
    System.out.printf("vector API in use: %b, threads %d; W7: batch %d, steps %d, in %d,"
        + " hidden %d%n", Kernels.vectorApiAvailable(), threads, BATCH, STEPS, IN, HIDDEN);
    boolean torch = Files.isRegularFile(Path.of(TORCH_SCRIPT));
    // Two passes, each timing both sides, so that a busy spell on a shared machine does not
    // fall on one side only; each side keeps its best.
    double[] ours = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
    double[] theirs = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
    for (int pass = 0; pass < 2; pass++) {
      for (RecurrentKind kind : RecurrentKind.values()) {
        ours[kind.ordinal()] = Math.min(ours[kind.ordinal()], time(kind));
      }
      if (torch) {
        torch(threads, theirs);
      }
    }
    for (RecurrentKind kind : RecurrentKind.values()) {
      int k = kind.ordinal();
      System.out.printf("%s: Annonet %.2f ms, PyTorch %.2f ms; PyTorch / Annonet = %.2f%n", kind,
          ours[k], theirs[k], theirs[k] / ours[k]);
    }
  }

  /** Runs the PyTorch script once; keeps each kind's best milliseconds in best. */
  private static void torch(int threads, double[] best) throws IOException, InterruptedException {
    Process torch = new ProcessBuilder("/usr/bin/python3", TORCH_SCRIPT, "" + BATCH, "" + STEPS,
        "" + IN, "" + HIDDEN, "" + threads).redirectErrorStream(true).start();
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(torch.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        System.out.println(line);
        String[] f = line.split(" ");
        for (RecurrentKind kind : RecurrentKind.values()) {
          if (f.length == 2 && kind.name().equals(f[0])) {
            best[kind.ordinal()] = Math.min(best[kind.ordinal()], Double.parseDouble(f[1]));
          }
        }
      }
    }
    torch.waitFor();
  }

  /** Best milliseconds of one forward and backward pass, over 10 rounds of at least 0.3 s. */
  private static double time(RecurrentKind kind) {
    SplittableRandom rnd = new SplittableRandom(1);
    float[] p = Naive.random(rnd, kind.parameterCount(IN, HIDDEN), 1 / Math.sqrt(HIDDEN));
    float[] g = new float[p.length];
    float[] x = Naive.random(rnd, BATCH * STEPS * IN, 1);
    float[] out = new float[BATCH * STEPS * HIDDEN];
    float[] dOut = Naive.random(rnd, out.length, 1);
    float[] dX = new float[x.length];
    float[] work = new float[kind.workSize(BATCH, STEPS, IN, HIDDEN)];
    double best = Double.POSITIVE_INFINITY;
    for (int round = -3; round < 10; round++) {
      int n = 0;
      long t0 = System.nanoTime();
      long elapsed;
      do {
        kind.forward(x, p, 0, out, true, work, BATCH, STEPS, IN, HIDDEN);
        kind.backward(dOut, true, p, 0, g, dX, work, BATCH, STEPS, IN, HIDDEN);
        n++;
        elapsed = System.nanoTime() - t0;
      } while (elapsed < 300_000_000L);
      if (round >= 0) {
        best = Math.min(best, elapsed / 1e6 / n);
      }
    }
    int gh = kind.gates() * HIDDEN;
    // Input projection, dW_ih, dX: 3 B T GH I; recurrent product, its gradient and dW_hh:
    // about 3 B T GH H.
    double flops = 2.0 * 3 * BATCH * STEPS * gh * (IN + HIDDEN);
    System.out.printf("%s Annonet: %.2f ms, %.1f GFLOP/s%n", kind, best, flops / best / 1e6);
    return best;
  }
}
