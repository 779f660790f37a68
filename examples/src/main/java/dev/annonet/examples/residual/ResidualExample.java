package dev.annonet.examples.residual;

import dev.annonet.data.Dataset;
import dev.annonet.examples.data.ExampleData;
import dev.annonet.optim.Adam;
import dev.annonet.plot.Progress;
import dev.annonet.train.Callback;
import dev.annonet.train.Trainer;
import dev.annonet.train.TrainingReport;

/**
 * A residual network: {@link ResidualDigits} adds each block's input back to its output with
 * {@code @Add(from = ...)}, checked for shape agreement at compile time; the generated backward
 * pass sums the gradients that reach a value through both paths. Trained on the digits.
 */
public final class ResidualExample {
  private ResidualExample() {}

  /** Trains on 80% of the digits; validates on the rest; silently. */
  public static TrainingReport train(long seed, int epochs) {
    return train(seed, epochs, Progress.quiet());
  }

  /** {@link #train(long, int)}, showing its progress through {@code progress}. */
  public static TrainingReport train(long seed, int epochs, Callback progress) {
    Dataset.Split split = ExampleData.digits().split(0.2, seed);
    return Trainer.of(new ResidualDigitsModel(seed))
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
    TrainingReport report = train(42, 30, Progress.auto());
    System.out.println("Residual MLP on the digits: 64 -> 96 -> [96 -> 96 (+)] x 2 -> 10, Adam");
    System.out.printf(
        "held-out accuracy: %.2f%% after %d epochs (%.1f s)%n",
        100 * report.validation().accuracy(), report.epochs(), report.seconds());
  }
}
