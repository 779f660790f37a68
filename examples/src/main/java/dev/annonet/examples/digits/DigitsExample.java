package dev.annonet.examples.digits;

import dev.annonet.data.Dataset;
import dev.annonet.examples.data.ExampleData;
import dev.annonet.optim.Adam;
import dev.annonet.plot.Progress;
import dev.annonet.train.Callback;
import dev.annonet.train.EpochRecord;
import dev.annonet.train.Trainer;
import dev.annonet.train.TrainingReport;

/**
 * The flagship example: classify the 8x8 handwritten digits with the {@link Digits} MLP. Teaches
 * the whole path: an annotated network, its generated {@code DigitsModel}, a seeded train/test
 * split, Adam with minibatches, and held-out accuracy.
 */
public final class DigitsExample {
  private DigitsExample() {}

  /** Trains on 80% of the digits and reports accuracy on the held-out 20%, silently. */
  public static TrainingReport train(long seed, int epochs) {
    return train(seed, epochs, Progress.quiet());
  }

  /** {@link #train(long, int)}, showing its progress through {@code progress}. */
  public static TrainingReport train(long seed, int epochs, Callback progress) {
    Dataset.Split split = ExampleData.digits().split(0.2, seed);
    DigitsModel model = new DigitsModel(seed);
    return Trainer.of(model)
        .optimizer(Adam.defaults())
        .batchSize(32)
        .epochs(epochs)
        .seed(seed)
        .validation(split.test())
        .quiet()
        .callback(progress)
        .fit(split.train());
  }

  public static void main(String[] args) {
    TrainingReport report = train(42, 40, Progress.auto());
    System.out.println("Digits: 64 -> 128 ReLU -> 10, Adam(1e-3), batch 32, 80/20 split (seed 42)");
    System.out.println(" epoch  train loss  grad norm  test loss  test accuracy");
    for (EpochRecord e : report.history()) {
      if (e.epoch() % 5 == 0 || e.epoch() == 1) {
        System.out.printf(
            "%6d  %10.4f  %9.4f  %9.4f  %12.2f%%%n",
            e.epoch(),
            e.trainLoss(),
            e.gradientNorm(),
            e.validation().loss(),
            100 * e.validation().accuracy());
      }
    }
    System.out.printf(
        "held-out accuracy: %.2f%% after %d epochs (%.1f s)%n",
        100 * report.validation().accuracy(), report.epochs(), report.seconds());
  }
}
