package dev.annonet.bench;

import dev.annonet.Model;
import dev.annonet.optim.Adam;
import dev.annonet.optim.AdamW;
import dev.annonet.optim.Momentum;
import dev.annonet.optim.Optimizer;
import dev.annonet.optim.Sgd;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The standard training workloads W1-W5 of {@code ../shared/bench/WORKLOADS.md}, each with its
 * network, optimizer, batch size and data-set size as {@code torch_mlp.py} defines them, and the
 * sequence workloads W6 and W7 as {@code benchmarks/torch_seq.py} defines them.
 */
public enum Workload {
  W1("tiny-regression", 8192, 32, TinyRegressionModel::new, TinyRegressionModel::new,
      () -> Sgd.defaults().lr(0.01f), 13 * 64, 64 * 64, 64),
  W2("digits", 16384, 64, DigitsMlpModel::new, DigitsMlpTeacherModel::new,
      Adam::defaults, 64 * 128, 128 * 10),
  W3("mnist-mlp", 16384, 128, MnistMlpModel::new, MnistMlpTeacherModel::new,
      Adam::defaults, 784 * 256, 256 * 256, 256 * 10),
  W4("wide", 8192, 256, WideMlpModel::new, WideMlpTeacherModel::new,
      () -> Momentum.heavyBall(0.9).lr(0.01f), 1024 * 2048, 2048 * 2048, 2048 * 10),
  W5("lenet", 8192, 64, LeNet5Model::new, LeNet5TeacherModel::new, Adam::defaults,
      24 * 24 * 6 * 25, 8 * 8 * 16 * 6 * 25, 256 * 120, 120 * 84, 84 * 10),
  // No teacher for W6 and W7: token data comes from a Markov chain (SyntheticData.tokens). The
  // embeddings have no multiply-adds, so every product's input gradient counts, as torch_seq.py
  // counts them. W6 per block: attention's projections (T 4d^2) and its scores and weighted sums
  // over the whole T x T square, as PyTorch computes them (2 T^2 d), then the MLP (T 8d^2); then
  // the head (T V d).
  W6("small-gpt", 2048, 32, SmallGptModel::new, null, () -> AdamW.defaults().lr(3e-4f),
      0, 64 * 4 * 128 * 128 + 2 * 64 * 64 * 128, 64 * 8 * 128 * 128,
      64 * 4 * 128 * 128 + 2 * 64 * 64 * 128, 64 * 8 * 128 * 128, 64 * 65 * 128),
  W7("lstm-lm", 2048, 32, LstmLmModel::new, null, Adam::defaults,
      0, 32 * 4 * 256 * (64 + 256), 32 * 65 * 256);

  /** Seed of the data (as torch_mlp.py's default {@code --seed}). */
  public static final long SEED = 1234;

  private final String title;
  private final int samples;
  private final int batch;
  private final LongFunction<Model> student;
  private final LongFunction<Model> teacher;
  private final Supplier<Optimizer> optimizer;
  private final long[] layerMacs;

  Workload(String title, int samples, int batch, LongFunction<Model> student,
      LongFunction<Model> teacher, Supplier<Optimizer> optimizer, long... layerMacs) {
    this.title = title;
    this.samples = samples;
    this.batch = batch;
    this.student = student;
    this.teacher = teacher;
    this.optimizer = optimizer;
    this.layerMacs = layerMacs;
  }

  /** The short name, e.g. {@code "mnist-mlp"}. */
  public String title() {
    return title;
  }

  /** Samples per epoch, n. */
  public int samples() {
    return samples;
  }

  /** Samples per update. */
  public int batch() {
    return batch;
  }

  /** A fresh model to train, initialised from {@code seed}. */
  public Model newModel(long seed) {
    return student.apply(seed);
  }

  /**
   * The teacher whose outputs label the synthetic data (see {@link SyntheticData}); none for a
   * token workload.
   */
  Model newTeacher(long seed) {
    return teacher.apply(seed);
  }

  /** A fresh optimizer with the workload's settings. */
  public Optimizer newOptimizer() {
    return optimizer.get();
  }

  /**
   * Floating-point operations per sample of one training step, counted as WORKLOADS.md does:
   * 6 per multiply-add of every layer, minus the first layer's input gradient (2 per
   * multiply-add), which no one needs.
   */
  public long flopsPerSample() {
    long macs = 0;
    for (long m : layerMacs) {
      macs += m;
    }
    return 6 * macs - 2 * layerMacs[0];
  }

  /** A ready-to-run training loop on the workload's synthetic data ({@code samples} rows). */
  public TrainingLoop newTrainingLoop(int samples) {
    return new TrainingLoop(newModel(SEED + 2), newOptimizer(),
        SyntheticData.make(this, samples, SEED), batch, SEED + 3);
  }
}
