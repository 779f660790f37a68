package dev.annonet.bench;

import dev.annonet.LayerInfo;
import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.train.Callback;
import dev.annonet.train.EpochRecord;
import dev.annonet.train.Metrics;
import dev.annonet.train.Trainer;
import dev.annonet.train.TrainingReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Checks that Annonet's speed costs no accuracy: trains each workload on exactly the data
 * {@code torch_mlp.py --dump-data DIR} wrote, with the same protocol as that script (1 warm-up
 * epoch and 3 more, reshuffled every epoch, the workload's optimizer and batch size), and prints
 * the mean minibatch loss of the last epoch and the training accuracy, from several
 * initialisation seeds so that the seed-to-seed spread shows what "the same loss" can mean.
 * Each workload runs twice: from Annonet's own initialisation (He for ReLU layers) and from
 * PyTorch's default one for Linear and Conv2d (weights and biases uniform in +-1/sqrt(fan_in)),
 * so that a difference of initialisation is not mistaken for one of arithmetic.
 * PyTorch's figures for the same data are in its own log ({@code final_loss}, {@code
 * train_acc}); {@code benchmarks/run} prints both side by side.
 *
 * <p>Usage: {@code LossCheck DIR [W1,W2,...] [seeds]}; prints one tab-separated line per
 * workload and initialisation: id, init, mean loss, minimum, maximum, mean accuracy (or -),
 * seeds.
 */
public final class LossCheck {

  /** Epochs of torch_mlp.py's default protocol: 1 warm-up epoch and 3 timed ones. */
  static final int EPOCHS = 4;

  private LossCheck() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: LossCheck DIR [W1,W2,...] [seeds]   (DIR from torch_mlp.py"
          + " --dump-data DIR)");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    String[] ids = (args.length > 1 ? args[1] : "W1,W2,W3,W4,W5").split(",");
    int seeds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    for (String id : ids) {
      Workload w = Workload.valueOf(id.trim());
      Dataset data = read(dir, w);
      for (boolean torchInit : new boolean[] {false, true}) {
        double[] losses = new double[seeds];
        double[] accuracies = new double[seeds];
        for (int s = 0; s < seeds; s++) {
          double[] result = train(w, data, Workload.SEED + 2 + s, torchInit);
          losses[s] = result[0];
          accuracies[s] = result[1];
        }
        System.out.println(String.format(Locale.ROOT, "%s\t%s\t%.5f\t%.5f\t%.5f\t%s\t%d", w,
            torchInit ? "pytorch" : "annonet", mean(losses), min(losses), max(losses),
            Double.isNaN(accuracies[0]) ? "-" : String.format(Locale.ROOT, "%.3f",
                mean(accuracies)), seeds));
      }
    }
  }

  /**
   * PyTorch's default initialisation of Linear and Conv2d (kaiming_uniform with a = sqrt(5) for
   * the weight, uniform for the bias): both uniform in +-1/sqrt(fan_in), drawn from {@code seed}.
   */
  static void torchDefaultInit(Model model, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] p = model.parameters();
    for (LayerInfo layer : model.layers()) {
      if (layer.weightSize() == 0) {
        continue;
      }
      int fanIn = layer.weightSize() / layer.weightShape()[0];
      double bound = 1 / Math.sqrt(fanIn);
      for (int i = 0; i < layer.weightSize(); i++) {
        p[layer.weightOffset() + i] = (float) random.nextDouble(-bound, bound);
      }
      for (int i = 0; i < layer.biasSize(); i++) {
        p[layer.biasOffset() + i] = (float) random.nextDouble(-bound, bound);
      }
    }
  }

  /** Trains a fresh model from {@code seed}; returns {last epoch's mean minibatch loss, accuracy}. */
  static double[] train(Workload w, Dataset data, long seed, boolean torchInit) {
    Model model = w.newModel(seed);
    if (torchInit) {
      torchDefaultInit(model, seed);
    }
    double[] epochLoss = new double[1];
    Callback lastEpochLoss = new Callback() {
      private double sum;
      private int batches;

      @Override
      public void afterBatch(int epoch, int batch, int samples, double loss) {
        if (batch == 1) {
          sum = 0;
          batches = 0;
        }
        // torch_mlp.py averages the minibatch losses of the epoch, unweighted.
        sum += loss;
        batches++;
      }

      @Override
      public boolean afterEpoch(EpochRecord record, Model m) {
        epochLoss[0] = sum / batches;
        return false;
      }
    };
    TrainingReport report = Trainer.of(model).optimizer(w.newOptimizer()).batchSize(w.batch())
        .epochs(EPOCHS).seed(seed + 1).callback(lastEpochLoss).quiet().fit(data);
    Metrics train = report.train();
    return new double[] {epochLoss[0], train.accuracy()};
  }

  /** Reads {@code <id>_X.f32} and {@code <id>_y.f32} or {@code <id>_y.i32} (little-endian). */
  static Dataset read(Path dir, Workload w) throws IOException {
    String id = w.name();
    float[] x = floats(dir.resolve(id + "_X.f32"));
    Model shape = w.newModel(0);
    int inputs = shape.inputSize();
    if (x.length != w.samples() * inputs) {
      throw new IOException(dir.resolve(id + "_X.f32") + " holds " + x.length + " floats, not "
          + w.samples() + " x " + inputs + ": dump the data again with torch_mlp.py"
          + " --dump-data and no --n");
    }
    Path regression = dir.resolve(id + "_y.f32");
    if (Files.exists(regression)) {
      float[] y = floats(regression);
      return Dataset.of(x, inputs, y, y.length / w.samples());
    }
    ByteBuffer labels = bytes(dir.resolve(id + "_y.i32"));
    float[] y = new float[w.samples()];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.getInt();
    }
    return Dataset.of(x, inputs, y, 1);
  }

  private static float[] floats(Path file) throws IOException {
    ByteBuffer b = bytes(file);
    float[] out = new float[b.remaining() / 4];
    b.asFloatBuffer().get(out);
    return out;
  }

  private static ByteBuffer bytes(Path file) throws IOException {
    return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double d : v) {
      s += d;
    }
    return s / v.length;
  }

  private static double min(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double d : v) {
      m = Math.min(m, d);
    }
    return m;
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double d : v) {
      m = Math.max(m, d);
    }
    return m;
  }
}
