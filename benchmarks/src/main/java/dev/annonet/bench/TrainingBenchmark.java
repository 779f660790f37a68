package dev.annonet.bench;

import dev.annonet.kernels.Kernels;
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
 * Training throughput of a workload: one operation is one full training step (batch gather,
 * forward, backward, optimizer update; a reshuffle every epoch), so samples per second are
 * operations per second times {@link Workload#batch()}. The kernels use
 * {@code kernelThreads} threads ({@link Kernels#setThreads}); JMH drives one thread, or two
 * with the runner's {@code --ceiling}, each with its own training (the state is per thread).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TrainingBenchmark {

  /** The workload, W1 to W7. */
  @Param({"W1", "W2", "W3", "W4", "W5", "W6", "W7"})
  public String workload;

  /** Threads sharing each large matrix product. */
  @Param({"1", "2"})
  public int kernelThreads;

  private TrainingLoop loop;

  /** Makes the data and the model and sets the kernel threads. */
  @Setup(Level.Trial)
  public void setUp() {
    requireVectorApi();
    Kernels.setThreads(kernelThreads);
    Workload w = Workload.valueOf(workload);
    loop = w.newTrainingLoop(w.samples());
  }

  /** Restores one kernel thread (stops the helper threads). */
  @TearDown(Level.Trial)
  public void tearDown() {
    Kernels.setThreads(1);
  }

  /** One training step; returns its loss so that nothing is optimized away. */
  @Benchmark
  public float trainingStep() {
    return loop.step();
  }

  /**
   * Fails when the kernels run on the plain-Java path: the figures would not be Annonet's
   * (start the JVM with {@code --add-modules jdk.incubator.vector}).
   */
  static void requireVectorApi() {
    if (!Kernels.vectorApiAvailable() && !"plain".equals(System.getProperty("annonet.kernels"))) {
      throw new IllegalStateException("the Vector API is not available, so the kernels would "
          + "run on their plain-Java path: start the benchmark JVM with --add-modules "
          + "jdk.incubator.vector (or set -Dannonet.kernels=plain to measure that path)");
    }
  }
}
