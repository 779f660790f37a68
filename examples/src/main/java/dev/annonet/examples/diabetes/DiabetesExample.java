package dev.annonet.examples.diabetes;

import dev.annonet.data.Dataset;
import dev.annonet.data.Standardizer;
import dev.annonet.examples.data.ExampleData;
import dev.annonet.optim.Adam;
import dev.annonet.plot.Progress;
import dev.annonet.train.Callback;
import dev.annonet.train.Trainer;
import dev.annonet.train.TrainingReport;

/**
 * Regression with the lecture's squared loss on the diabetes data: standardise features and
 * target on the training split only, train the {@link Diabetes} MLP with Adam, and compare the
 * held-out error with the baseline that always predicts the training mean.
 */
public final class DiabetesExample {
  private DiabetesExample() {}

  /** Held-out root-mean-square errors in the target's units: {model, mean baseline}; silently. */
  public static double[] run(long seed, int epochs) {
    return run(seed, epochs, Progress.quiet());
  }

  /** {@link #run(long, int)}, showing the training's progress through {@code progress}. */
  public static double[] run(long seed, int epochs, Callback progress) {
    Dataset.Split split = ExampleData.diabetes().split(0.2, seed);
    Standardizer x = Standardizer.fitFeatures(split.train());
    Standardizer y = Standardizer.fitTargets(split.train());
    Dataset train = y.applyToTargets(x.applyToFeatures(split.train()));
    Dataset test = y.applyToTargets(x.applyToFeatures(split.test()));
    DiabetesModel model = new DiabetesModel(seed);
    TrainingReport report =
        Trainer.of(model)
            .optimizer(Adam.defaults())
            .batchSize(16)
            .epochs(epochs)
            .seed(seed)
            .validation(test)
            .quiet()
            .callback(progress)
            .fit(train);
    double std = y.std()[0];
    double modelRmse = Math.sqrt(report.validation().mse()) * std;
    // Standardised targets have training mean 0: the baseline's error is the test targets' size.
    double sum = 0;
    float[] t = test.targets();
    for (float v : t) {
      sum += (double) v * v;
    }
    double baselineRmse = Math.sqrt(sum / t.length) * std;
    return new double[] {modelRmse, baselineRmse};
  }

  public static void main(String[] args) {
    double[] rmse = run(42, 200, Progress.auto());
    System.out.println("Diabetes progression: 10 -> 16 tanh -> 1, squared error, Adam, 200 epochs");
    System.out.printf(
        "held-out RMSE: model %.1f, predict-the-mean baseline %.1f%n", rmse[0], rmse[1]);
  }
}
