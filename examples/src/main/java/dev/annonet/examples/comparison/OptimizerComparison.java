package dev.annonet.examples.comparison;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.examples.data.ExampleData;
import dev.annonet.examples.digits.DigitsModel;
import dev.annonet.optim.AdaGrad;
import dev.annonet.optim.Adam;
import dev.annonet.optim.AmsGrad;
import dev.annonet.optim.Momentum;
import dev.annonet.optim.Nesterov;
import dev.annonet.optim.Optimizer;
import dev.annonet.optim.RmsProp;
import dev.annonet.optim.Sgd;
import dev.annonet.plot.LinePlot;
import dev.annonet.plot.Progress;
import dev.annonet.train.Callback;
import dev.annonet.train.EpochRecord;
import dev.annonet.train.Trainer;
import dev.annonet.train.TrainingReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The course's numerical comparison: SGD, Momentum, Nesterov, AdaGrad, RMSProp, Adam and AMSGrad
 * train the digits MLP (64 -> 128 ReLU -> 10) from the same initial parameters
 * ({@link Model#copy()} of one seeded model), on the same 80% of the digits, with the same batch
 * size and the same shuffling seed; only the update rule and its step size differ. It draws the
 * train loss per epoch of every optimizer in one PNG (log scale, epoch 0 is the common start) and
 * prints a table of the final losses.
 *
 * <p>Each optimizer runs with a step size that suits it on this problem (PyTorch's defaults for
 * the adaptive methods; plain SGD needs a larger one): a comparison at one shared step size would
 * mostly measure how far that step is from each method's own scale. Heavy-ball Momentum and
 * Nesterov with {@code mu = 0.9} sum about ten gradients in their velocity, so at {@code lr 0.01}
 * they take about the steps of SGD at {@code 0.1} and their curves follow SGD's closely; Adam and
 * AMSGrad differ only once the second-moment maximum matters, so theirs nearly coincide.
 *
 * <p>Run with {@code mvn -q -B -DskipTests -Prun package
 * -Dexample=dev.annonet.examples.comparison.OptimizerComparison}; the PNG goes to
 * {@code target/plots} (relative to the examples module), or to the directory given as the first
 * argument; a second argument sets the epochs (default 30).
 */
public final class OptimizerComparison {

  private OptimizerComparison() {}

  /** Mini-batch size of every run. */
  static final int BATCH = 32;

  /** The PNG's file name in the output directory. */
  public static final String FILE = "optimizers.png";

  /** An optimizer under its course name, with the step size it runs with. */
  private record Entry(String name, float lr, Supplier<Optimizer> optimizer) {}

  private static final List<Entry> ENTRIES = List.of(
      new Entry("SGD", 0.1f, () -> Sgd.defaults().lr(0.1f)),
      new Entry("Momentum", 0.01f, () -> Momentum.heavyBall(0.9).lr(0.01f)),
      new Entry("Nesterov", 0.01f, () -> Nesterov.defaults().lr(0.01f)),
      new Entry("AdaGrad", 0.05f, () -> AdaGrad.defaults().lr(0.05f)),
      new Entry("RMSProp", 1e-3f, () -> RmsProp.defaults().lr(1e-3f)),
      new Entry("Adam", 1e-3f, Adam::defaults),
      new Entry("AMSGrad", 1e-3f, AmsGrad::defaults));

  /**
   * One optimizer's run.
   *
   * @param name the optimizer's course name
   * @param lr its base step size
   * @param initialLoss the mean training loss of the common starting parameters
   * @param report the training run
   */
  public record Run(String name, float lr, double initialLoss, TrainingReport report) {

    /** The mean training loss after the last epoch. */
    public double finalLoss() {
      return report.history().last().trainLoss();
    }
  }

  /**
   * Trains a copy of one {@code DigitsModel(seed)} with each optimizer for {@code epochs} epochs
   * on the digits split with {@code seed}, and returns the runs in the course's order; silently.
   */
  public static List<Run> compare(long seed, int epochs) {
    return compare(seed, epochs, name -> Progress.quiet());
  }

  /**
   * {@link #compare(long, int)}, showing each run's progress through the callback
   * {@code progress} gives for the run's label (e.g. {@code SGD (lr 0.1)}).
   */
  public static List<Run> compare(long seed, int epochs, Function<String, Callback> progress) {
    Dataset.Split split = ExampleData.digits().split(0.2, seed);
    Dataset train = split.train();
    DigitsModel start = new DigitsModel(seed);
    start.setTraining(false);
    double initialLoss = start.loss(train.features(), train.targets(), train.size());
    List<Run> runs = new ArrayList<>();
    for (Entry e : ENTRIES) {
      TrainingReport report = Trainer.of(start.copy())
          .optimizer(e.optimizer().get())
          .batchSize(BATCH)
          .epochs(epochs)
          .seed(seed)
          .validation(split.test())
          .quiet()
          .callback(progress.apply(label(e.name(), e.lr())))
          .fit(train);
      runs.add(new Run(e.name(), e.lr(), initialLoss, report));
    }
    return runs;
  }

  /**
   * The train loss per epoch of every run in one chart (epoch 0 is the common initial loss, the
   * y axis logarithmic), written to {@code dir/optimizers.png}; returns the file.
   */
  public static Path plot(List<Run> runs, Path dir) throws IOException {
    LinePlot plot = LinePlot.titled("Digits MLP: train loss per epoch, same start, same batches")
        .logScale(true)
        .size(900, 560);
    for (Run run : runs) {
      List<EpochRecord> epochs = run.report().history().epochs();
      double[] x = new double[epochs.size() + 1];
      double[] y = new double[epochs.size() + 1];
      y[0] = run.initialLoss();
      for (int i = 0; i < epochs.size(); i++) {
        x[i + 1] = epochs.get(i).epoch();
        y[i + 1] = epochs.get(i).trainLoss();
      }
      plot.add(label(run.name(), run.lr()), x, y);
    }
    return plot.writePng(dir.resolve(FILE));
  }

  /** An optimizer's name with its step size, e.g. {@code SGD (lr 0.1)}. */
  static String label(String name, float lr) {
    return name + " (lr " + lr + ")";
  }

  /** The table of final losses, one row per optimizer. */
  public static String table(List<Run> runs) {
    StringBuilder s = new StringBuilder(String.format(
        "%-9s %7s %12s %11s %10s %9s %8s%n", "optimizer", "lr", "initial loss", "train loss",
        "test loss", "test acc", "seconds"));
    for (Run r : runs) {
      s.append(String.format("%-9s %7s %12.4f %11.5f %10.4f %8.2f%% %8.2f%n", r.name(),
          r.lr(), r.initialLoss(), r.finalLoss(), r.report().validation().loss(),
          100 * r.report().validation().accuracy(), r.report().seconds()));
    }
    return s.toString();
  }

  /** Arguments: output directory (default {@code target/plots}), epochs (default 30). */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/plots");
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    // Each run's first and last epochs stay on screen, under the optimizer's name.
    List<Run> runs = compare(42, epochs, label -> {
      System.err.println(label);
      return Progress.auto().every(epochs);
    });
    System.out.printf("Digits MLP, batch %d, %d epochs, same initial parameters and batches "
        + "(seed 42)%n", BATCH, epochs);
    System.out.print(table(runs));
    System.out.println("wrote " + plot(runs, dir));
  }
}
