package dev.annonet.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.LayerInfo;
import dev.annonet.Model;
import dev.annonet.Task;
import dev.annonet.data.Dataset;
import dev.annonet.kernels.Kernels;
import dev.annonet.train.Trainer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checks that the benchmarks measure what they claim without running JMH: the workloads are the
 * networks of WORKLOADS.md, the training loop applies the trainer's updates, every workload
 * trains, and the products compute the right numbers. Off in the normal build (see the pom).
 */
class SmokeTest {

  @AfterEach
  void oneKernelThread() {
    Kernels.setThreads(1);
  }

  /** Parameter counts as PyTorch reports them for the same layers (torch_mlp.py "params"). */
  @ParameterizedTest
  @EnumSource(Workload.class)
  void networksHaveTheWorkloadsSizes(Workload w) {
    Model m = w.newModel(1);
    int[][] expected = {
        // inputs, outputs, parameters
        {13, 1, 5121}, {64, 10, 9610}, {784, 10, 269322}, {1024, 10, 6316042},
        {784, 10, 44426},
        // W6: 64 token ids in, 65 logits at each of 64 positions out; per block two
        // nn.LayerNorm(128), nn.MultiheadAttention(128, 4) and nn.Linear(128, 512),
        // nn.Linear(512, 128); nn.Embedding(65, 128), nn.Embedding(64, 128), a final
        // nn.LayerNorm(128) and nn.Linear(128, 65)
        {64, 64 * 65, 65 * 128 + 64 * 128 + 2 * (2 * 2 * 128 + 4 * 128 * 129
            + 128 * 512 + 512 + 512 * 128 + 128) + 2 * 128 + 128 * 65 + 65},
        // W7: 32 token ids in, 65 logits at each of 32 positions out; nn.Embedding(65, 64),
        // nn.LSTM(64, 256) and nn.Linear(256, 65)
        {32, 32 * 65, 65 * 64 + 4 * 256 * (64 + 256 + 2) + 65 * 256 + 65}};
    int[] e = expected[w.ordinal()];
    assertEquals(e[0], m.inputSize(), "inputs");
    assertEquals(e[1], m.outputSize(), "outputs");
    assertEquals(e[2], m.parameterCount(), "parameters");
    assertEquals(w == Workload.W1 ? Task.REGRESSION : Task.MULTICLASS, m.task());
  }

  /** LayerProbe times the dense layers the workloads have (PyTorch's [out][in] weights). */
  @ParameterizedTest
  @EnumSource(value = Workload.class, names = {"W1", "W2", "W3", "W4"})
  void layerProbeHasTheWorkloadsDenseLayers(Workload w) {
    java.util.List<int[]> expected = new java.util.ArrayList<>();
    for (LayerInfo layer : w.newModel(1).layers()) {
      if (layer.kind().equals("Dense")) {
        expected.add(new int[] {w.batch(), layer.weightShape()[1], layer.weightShape()[0]});
      }
    }
    assertArrayEquals(expected.toArray(new int[0][]), LayerProbe.layers(w.name()));
  }

  @Test
  void layerProbeNamesTheWorkloadsItKnows() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LayerProbe.layers("W6"));
    assertEquals(
        "unknown workload 'W6': LayerProbe knows the dense layers of W1, W2, W3, W4 and W5",
        e.getMessage());
  }

  /** The FLOP count of each workload agrees with the multiply-adds of its generated layers. */
  @ParameterizedTest
  @EnumSource(value = Workload.class, names = {"W1", "W2", "W3", "W4", "W5"})
  void flopsPerSampleFollowsTheLayers(Workload w) {
    long total = 0;
    long first = -1;
    for (LayerInfo layer : w.newModel(1).layers()) {
      long macs = layer.weightSize();
      if (layer.kind().equals("Conv2d")) {
        int[] weight = layer.weightShape();
        macs = (long) layer.shape()[0] * weight[1] * weight[2] * weight[3] * layer.shape()[1]
            * layer.shape()[2];
      }
      if (macs > 0) {
        total += macs;
        first = first < 0 ? macs : first;
      }
    }
    assertEquals(6 * total - 2 * first, w.flopsPerSample());
  }

  /**
   * W6's FLOP count: at each of the 64 positions, every weight matrix of attention (its four
   * projections) and of the dense layers, plus attention's scores and weighted sums over the
   * 64 x 64 square; no input gradient left out (the embeddings have no multiply-adds).
   */
  @Test
  void gptFlopsPerSampleFollowTheLayers() {
    long macs = 0;
    for (LayerInfo layer : Workload.W6.newModel(1).layers()) {
      if (layer.kind().equals("CausalSelfAttention")) {
        int steps = layer.shape()[0];
        int width = layer.shape()[1];
        for (LayerInfo.Tensor t : layer.tensors()) {
          macs += t.shape().length == 2 ? (long) steps * t.size() : 0;
        }
        macs += 2L * steps * steps * width;
      } else if (layer.kind().equals("Dense")) {
        macs += 64L * layer.weightSize();
      }
    }
    assertEquals(6 * macs, Workload.W6.flopsPerSample());
  }

  /**
   * W7's FLOP count: at each of the 32 positions, the LSTM's two weight matrices and the head's
   * weight, no input gradient left out (the embedding has no multiply-adds).
   */
  @Test
  void lstmFlopsPerSampleFollowTheLayers() {
    long perPosition = 0;
    for (LayerInfo layer : Workload.W7.newModel(1).layers()) {
      if (layer.kind().equals("Lstm")) {
        perPosition += layer.tensors().get(0).size() + layer.tensors().get(1).size();
      } else if (layer.kind().equals("Dense")) {
        perPosition += layer.weightSize();
      }
    }
    assertEquals(6 * 32 * perPosition, Workload.W7.flopsPerSample());
  }

  /** W7's tokens follow each other as a Markov chain: inputs shifted by one are the targets. */
  @Test
  void tokenTargetsAreTheNextTokens() {
    Dataset data = SyntheticData.make(Workload.W7, 64, 1234);
    float[] x = data.features();
    float[] y = data.targets();
    for (int s = 0; s < 64; s++) {
      for (int t = 0; t + 1 < 32; t++) {
        assertEquals(y[s * 32 + t], x[s * 32 + t + 1], "sample " + s + ", position " + t);
      }
    }
  }

  /** The benchmark's loop and Trainer.fit apply bit-identical updates, a short batch included. */
  @ParameterizedTest
  @EnumSource(value = Workload.class, names = {"W1", "W2"})
  void trainingLoopAppliesTheTrainersUpdates(Workload w) {
    Dataset data = SyntheticData.make(w, 3 * w.batch() + 5, 11);
    Model ours = w.newModel(5);
    Model trainers = w.newModel(5);
    TrainingLoop loop = new TrainingLoop(ours, w.newOptimizer(), data, w.batch(), 99);
    double first = loop.epoch();
    double second = loop.epoch();
    Trainer.of(trainers).optimizer(w.newOptimizer()).batchSize(w.batch()).epochs(2).seed(99)
        .quiet().fit(data);
    assertArrayEquals(trainers.parameters(), ours.parameters());
    assertTrue(Double.isFinite(first) && Double.isFinite(second), first + " " + second);
  }

  /** A few steps of every workload: finite losses and parameters that move. */
  @ParameterizedTest
  @EnumSource(Workload.class)
  void everyWorkloadTrains(Workload w) {
    Kernels.setThreads(2);
    TrainingLoop loop = w.newTrainingLoop(2 * w.batch());
    float[] before = loop.model().parameters().clone();
    for (int i = 0; i < 3; i++) {
      float loss = loop.step();
      assertTrue(Float.isFinite(loss) && loss > 0, "loss " + loss);
    }
    assertFalse(java.util.Arrays.equals(before, loop.model().parameters()));
  }

  /** Inputs are N(0, 1); the teacher's labels are spread over the classes, not one class. */
  @Test
  void dataLooksLikeTorchMlps() {
    Dataset data = SyntheticData.make(Workload.W2, 4096, 1234);
    float[] x = data.features();
    double sum = 0;
    double squares = 0;
    for (float v : x) {
      sum += v;
      squares += (double) v * v;
    }
    double mean = sum / x.length;
    assertEquals(0, mean, 0.01);
    assertEquals(1, Math.sqrt(squares / x.length - mean * mean), 0.01);
    int[] counts = new int[10];
    for (int i = 0; i < data.size(); i++) {
      counts[data.label(i)]++;
    }
    int classesSeen = 0;
    for (int c : counts) {
      assertTrue(c < data.size() / 2, "one class holds half the labels: "
          + java.util.Arrays.toString(counts));
      classesSeen += c > 0 ? 1 : 0;
    }
    assertTrue(classesSeen >= 5, java.util.Arrays.toString(counts));
  }

  /** Each product kind against double-precision sums, on 1 and 2 kernel threads. */
  @Test
  void productsComputeTheirDefinition() {
    for (String spec : new String[] {"abt:70x96x80", "atb:96x130x64", "ab:64x200x100"}) {
      for (int threads = 1; threads <= 2; threads++) {
        Kernels.setThreads(threads);
        GemmBenchmark.Product p = GemmBenchmark.Product.parse(spec);
        p.fill(new SplittableRandom(3));
        p.run();
        for (int i = 0; i < p.m; i++) {
          for (int j = 0; j < p.n; j++) {
            double s = 0;
            for (int q = 0; q < p.k; q++) {
              double av = p.kind.equals("atb") ? p.a[q * p.m + i] : p.a[i * p.k + q];
              double bv = p.kind.equals("abt") ? p.b[j * p.k + q] : p.b[q * p.n + j];
              s += av * bv;
            }
            double want = p.kind.equals("abt") ? Math.max(0, s + p.extra[j])
                : p.kind.equals("ab") ? (p.extra[i * p.n + j] > 0 ? s : 0) : s;
            assertEquals(want, p.c[i * p.n + j], 1e-4 * Math.sqrt(p.k),
                spec + " C[" + i + "][" + j + "] on " + threads + " thread(s)");
          }
        }
      }
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GemmBenchmark.Product.parse("abt:128x256"));
    assertTrue(e.getMessage().contains("kind:MxNxK"), e.getMessage());
  }

  /** The JMH state methods themselves, called directly. */
  @Test
  void benchmarkMethodsRun() {
    TrainingBenchmark training = new TrainingBenchmark();
    training.workload = "W1";
    training.kernelThreads = 2;
    training.setUp();
    assertEquals(2, Kernels.threads());
    for (int i = 0; i < 300; i++) {
      assertTrue(Float.isFinite(training.trainingStep()));
    }
    training.tearDown();
    assertEquals(1, Kernels.threads());

    GemmBenchmark gemm = new GemmBenchmark();
    gemm.product = "abt:128x256x784";
    gemm.kernelThreads = 2;
    gemm.setUp();
    assertTrue(Float.isFinite(gemm.product()));
    gemm.tearDown();
  }
}
