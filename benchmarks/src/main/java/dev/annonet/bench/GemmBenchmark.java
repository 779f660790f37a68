package dev.annonet.bench;

import dev.annonet.kernels.Activation;
import dev.annonet.kernels.Gemm;
import dev.annonet.kernels.Kernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The matrix-product kernel alone, on the products of a dense layer's training step: one
 * operation is one product of {@code 2 m n k} floating-point operations, so GFLOP/s are
 * operations per second times {@code 2 m n k / 1e9}.
 *
 * <p>A case is {@code kind:MxNxK}, with C {@code [m][n]} and the sum over k: {@code abt} is the
 * forward pass {@code Y = X W^T} ({@link Gemm#multiplyAbt}: m = batch, n = out, k = in),
 * {@code atb} the weight gradient {@code dW = dY^T X} ({@link Gemm#multiplyAtb}: m = out,
 * n = in, k = batch), {@code ab} the input gradient {@code dX = dY W} ({@link Gemm#multiplyAb}:
 * m = batch, n = in, k = out).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GemmBenchmark {

  /** The product; the default list: W3's and W4's layers, and the square 1024^3. */
  @Param({
      "abt:128x256x784", "atb:256x784x128", "abt:128x256x256",
      "abt:256x2048x1024", "atb:2048x1024x256",
      "abt:256x2048x2048", "atb:2048x2048x256", "ab:256x2048x2048",
      "abt:1024x1024x1024"})
  public String product;

  /** Threads sharing each product. */
  @Param({"1", "2"})
  public int kernelThreads;

  private Product p;

  /** Fills the operands with random values and sets the kernel threads. */
  @Setup(Level.Trial)
  public void setUp() {
    TrainingBenchmark.requireVectorApi();
    Kernels.setThreads(kernelThreads);
    p = Product.parse(product);
    p.fill(new SplittableRandom(7));
  }

  /** Restores one kernel thread. */
  @TearDown(Level.Trial)
  public void tearDown() {
    Kernels.setThreads(1);
  }

  /** One product; returns an element of the result so that nothing is optimized away. */
  @Benchmark
  public float product() {
    p.run();
    return p.c[0];
  }

  /** One product case with its operands. */
  static final class Product {
    final String kind;
    final int m;
    final int n;
    final int k;
    final float[] a;
    final float[] b;
    final float[] c;
    final float[] extra;

    private Product(String kind, int m, int n, int k) {
      this.kind = kind;
      this.m = m;
      this.n = n;
      this.k = k;
      this.a = new float[m * k];
      this.b = new float[k * n];
      this.c = new float[m * n];
      // abt: the bias [n]; ab: the activation output Y [m][n] of the derivative epilogue.
      this.extra = new float[kind.equals("ab") ? m * n : n];
    }

    /** Reads {@code kind:MxNxK}. */
    static Product parse(String spec) {
      String[] parts = spec.split(":");
      String[] dims = parts.length == 2 ? parts[1].split("x") : new String[0];
      if (dims.length != 3 || !(parts[0].equals("abt") || parts[0].equals("atb")
          || parts[0].equals("ab"))) {
        throw new IllegalArgumentException("product '" + spec + "' is not kind:MxNxK with kind "
            + "abt, atb or ab, e.g. abt:128x256x784");
      }
      return new Product(parts[0], Integer.parseInt(dims[0]), Integer.parseInt(dims[1]),
          Integer.parseInt(dims[2]));
    }

    /** Floating-point operations of one product. */
    double flops() {
      return 2.0 * m * n * k;
    }

    void fill(SplittableRandom random) {
      for (float[] array : new float[][] {a, b, extra}) {
        for (int i = 0; i < array.length; i++) {
          array[i] = (float) random.nextDouble(-1, 1);
        }
      }
    }

    /** Runs the product as a dense layer's step does (ReLU epilogues where it has them). */
    void run() {
      switch (kind) {
        case "abt":
          Gemm.multiplyAbt(m, n, k, a, 0, b, 0, c, 0, extra, 0, Activation.RELU, 0f);
          break;
        case "atb":
          Gemm.multiplyAtb(m, n, k, a, 0, b, 0, c, 0);
          break;
        default:
          Gemm.multiplyAb(m, n, k, a, 0, b, 0, c, 0, extra, 0, Activation.RELU, 0f);
          break;
      }
    }
  }
}
