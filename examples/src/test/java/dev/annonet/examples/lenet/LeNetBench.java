package dev.annonet.examples.lenet;

import dev.annonet.kernels.Kernels;
import dev.annonet.optim.Adam;
import dev.annonet.optim.Optimizer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Timing main (not a test): workload W5 of bench/WORKLOADS.md, LeNet on 8192 synthetic 1x28x28
 * images, batch 64, Adam 1e-3; reports the median seconds of 3 epochs after 1 warm-up and
 * samples/s. Each epoch reshuffles and gathers its batches, as the trainer does; the trainer's
 * per-epoch evaluation is left out, as PyTorch's side has none. Also prints the training
 * thread's CPU time per epoch, which on a loaded machine says more than the wall time does
 * when there is one thread.
 *
 * <p>Run from examples/ after {@code mvn -B -DskipTests package}: {@code java --add-modules
 * jdk.incubator.vector -cp target/classes:target/test-classes:../runtime/target/classes
 * dev.annonet.examples.lenet.LeNetBench [threads...]}.
 */
public final class LeNetBench {

  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private LeNetBench() {}

  public static void main(String[] args) {
    int[] threads = args.length == 0 ? new int[] {1, 2} : Arrays.stream(args)
        .mapToInt(Integer::parseInt).toArray();
    int n = 8192;
    int batch = 64;
    int in = 28 * 28;
    SplittableRandom rnd = new SplittableRandom(1234);
    float[] data = new float[n * in];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) rnd.nextGaussian();
    }
    float[] labels = new float[n];
    for (int i = 0; i < n; i++) {
      labels[i] = rnd.nextInt(10);
    }
    System.out.println("vector API in use: " + Kernels.vectorApiAvailable());
    for (int t : threads) {
      Kernels.setThreads(t);
      LeNetModel model = new LeNetModel(42);
      model.reserve(batch);
      Optimizer opt = Adam.defaults();
      opt.reset();
      float[] x = new float[batch * in];
      float[] y = new float[batch];
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      SplittableRandom shuffle = new SplittableRandom(7);
      double[] secs = new double[4];
      double[] cpu = new double[4];
      float loss = 0;
      for (int e = 0; e < secs.length; e++) {
        long t0 = System.nanoTime();
        long c0 = CPU.getCurrentThreadCpuTime();
        for (int i = n - 1; i > 0; i--) {
          int j = shuffle.nextInt(i + 1);
          int s = order[i];
          order[i] = order[j];
          order[j] = s;
        }
        model.setTraining(true);
        for (int start = 0; start + batch <= n; start += batch) {
          for (int r = 0; r < batch; r++) {
            int row = order[start + r];
            System.arraycopy(data, row * in, x, r * in, in);
            y[r] = labels[row];
          }
          loss = model.lossAndGradient(x, y, batch);
          opt.step(model.parameters(), model.gradients(), opt.learningRate());
        }
        secs[e] = (System.nanoTime() - t0) / 1e9;
        cpu[e] = (CPU.getCurrentThreadCpuTime() - c0) / 1e9;
      }
      double[] timed = Arrays.copyOfRange(secs, 1, secs.length);
      Arrays.sort(timed);
      double med = timed[timed.length / 2];
      double[] cpuTimed = Arrays.copyOfRange(cpu, 1, cpu.length);
      Arrays.sort(cpuTimed);
      double cpuMed = cpuTimed[cpuTimed.length / 2];
      System.out.printf("W5 threads %d: %.4f s/epoch, %.0f samples/s (loss %.4f); caller CPU"
          + " %.4f s/epoch = %.0f samples/s; epochs %s%n", t, med, n / med, loss, cpuMed,
          n / cpuMed, Arrays.toString(secs));
    }
    Kernels.setThreads(1);
  }
}
