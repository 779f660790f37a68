package com.example;

import dev.annonet.data.Dataset;
import dev.annonet.io.ModelFile;
import dev.annonet.kernels.Kernels;
import dev.annonet.optim.Adam;
import dev.annonet.plot.LinePlot;
import dev.annonet.plot.Progress;
import dev.annonet.train.Trainer;
import dev.annonet.train.TrainingReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/** What a new user does first: train, plot, save, load, predict. Exits 1 if anything is off. */
public final class Main {
  public static void main(String[] args) throws Exception {
    Random random = new Random(7);
    int n = 600;
    float[][] x = new float[n][];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
      double angle = 2 * Math.PI * labels[i] / 3;
      x[i] = new float[] {
          (float) (3 * Math.cos(angle) + random.nextGaussian()),
          (float) (3 * Math.sin(angle) + random.nextGaussian())};
    }
    Dataset.Split split = Dataset.classification(x, labels).split(0.25, 7);

    BlobsModel model = new BlobsModel(7);
    TrainingReport report = Trainer.of(model).optimizer(Adam.defaults()).batchSize(32).epochs(20)
        .quiet()
        .callback(Progress.auto())
        .validation(split.test())
        .fit(split.train());
    LinePlot.lossCurves(report.history()).logScale(true).writePng(Path.of("target/loss.png"));

    Path file = Path.of("target/blobs.safetensors");
    ModelFile.save(model, file);
    BlobsModel loaded = new BlobsModel(0);
    ModelFile.load(loaded, file);

    float[] sample = {3f, 0f};
    float[] before = model.predict(sample).clone();
    float[] after = loaded.predict(sample);
    double accuracy = report.validation().accuracy();
    System.out.printf("held-out accuracy %.3f, vector kernels %s, loaded model predicts %s%n",
        accuracy, Kernels.vectorApiAvailable(), Arrays.toString(after));
    check(accuracy > 0.9, "accuracy " + accuracy + " should exceed 0.9");
    check(Arrays.equals(before, after), "the loaded model should predict as the saved one");
    check(Kernels.vectorApiAvailable(), "exec:exec should pass --add-modules jdk.incubator.vector");
    check(Files.size(Path.of("target/loss.png")) > 0, "the plot should be written");
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      System.err.println("FAILED: " + what);
      System.exit(1);
    }
  }
}
