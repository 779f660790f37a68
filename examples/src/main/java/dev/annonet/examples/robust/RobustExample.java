package dev.annonet.examples.robust;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.data.Standardizer;
import dev.annonet.examples.data.ExampleData;
import dev.annonet.examples.diabetes.DiabetesModel;
import dev.annonet.optim.Adam;
import dev.annonet.train.Metrics;
import dev.annonet.train.Trainer;
import java.util.SplittableRandom;

/**
 * A robust loss that is one line of Java: the diabetes data with a tenth of the training targets
 * corrupted (shifted by 6 standard deviations), fitted once with the squared error and once with
 * Huber's loss written only as {@code @Phi} ({@link RobustDiabetes}), each judged on the clean
 * held-out split. The squared error chases the outliers; Huber's loss caps their pull.
 */
public final class RobustExample {
  /** The share of training targets corrupted, and by how many standard deviations. */
  static final double OUTLIERS = 0.1;

  static final float SHIFT = 6f;

  private RobustExample() {}

  /** Clean held-out RMSEs in the target's units: {squared error, Huber derived from phi}. */
  public static double[] run(long seed, int epochs) {
    Dataset.Split split = ExampleData.diabetes().split(0.2, seed);
    Standardizer x = Standardizer.fitFeatures(split.train());
    Standardizer y = Standardizer.fitTargets(split.train());
    Dataset train = corrupt(y.applyToTargets(x.applyToFeatures(split.train())), seed);
    Dataset test = y.applyToTargets(x.applyToFeatures(split.test()));
    double std = y.std()[0];
    return new double[] {
      rmse(new DiabetesModel(seed), train, test, seed, epochs) * std,
      rmse(new RobustDiabetesModel(seed), train, test, seed, epochs) * std
    };
  }

  /** {@code data} with a share {@link #OUTLIERS} of its targets moved up by {@link #SHIFT}. */
  static Dataset corrupt(Dataset data, long seed) {
    float[] targets = data.targets();
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < targets.length; i++) {
      if (rng.nextDouble() < OUTLIERS) {
        targets[i] += SHIFT;
      }
    }
    return Dataset.of(data.features(), data.inputSize(), targets, 1);
  }

  private static double rmse(Model model, Dataset train, Dataset test, long seed, int epochs) {
    Trainer.of(model).optimizer(Adam.defaults()).batchSize(16).epochs(epochs).seed(seed).quiet()
        .fit(train);
    return Math.sqrt(Metrics.of(model, test).mse());
  }

  public static void main(String[] args) {
    double[] rmse = run(42, 200);
    System.out.println("Diabetes, 10% of training targets shifted by 6 std: 10 -> 16 tanh -> 1,"
        + " Adam, 200 epochs");
    System.out.printf("clean held-out RMSE: squared error %.1f, Huber from @Phi alone %.1f%n",
        rmse[0], rmse[1]);
  }
}
