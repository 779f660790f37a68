package com.example;

import dev.annonet.data.Csv;
import dev.annonet.data.Dataset;
import dev.annonet.optim.Adam;
import dev.annonet.train.Trainer;
import dev.annonet.train.TrainingReport;
import java.io.IOException;
import java.nio.file.Path;

/** Trains the generated DigitsModel on the digits CSV given as the first argument. */
public final class DigitsDemo {
  private DigitsDemo() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: DigitsDemo <digits.csv.gz>");
      System.exit(2);
    }
    Dataset data = Csv.classification(Path.of(args[0]), "digit").scaleFeatures(1f / 16);
    Dataset.Split split = data.split(0.2, 42);
    DigitsModel model = new DigitsModel(42);
    TrainingReport report = Trainer.of(model)
        .optimizer(Adam.defaults())
        .batchSize(32)
        .epochs(20)
        .seed(42)
        .validation(split.test())
        .quiet()
        .fit(split.train());
    System.out.printf("held-out accuracy: %.2f%%%n", 100 * report.validation().accuracy());
  }
}
