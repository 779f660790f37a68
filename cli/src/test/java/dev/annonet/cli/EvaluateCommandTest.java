package dev.annonet.cli;

import static dev.annonet.cli.Cli.DIABETES;
import static dev.annonet.cli.Cli.DIGITS;
import static dev.annonet.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.Model;
import dev.annonet.data.Csv;
import dev.annonet.data.Dataset;
import dev.annonet.data.Standardizer;
import dev.annonet.examples.diabetes.DiabetesModel;
import dev.annonet.examples.digits.DigitsModel;
import dev.annonet.io.ModelFile;
import dev.annonet.io.SafeTensors;
import dev.annonet.train.ConfusionMatrix;
import dev.annonet.train.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * annonet evaluate: the loss, accuracy and confusion matrix of a classifier and the errors of a
 * regression network are those of the model loaded through Java and of a count by hand; data
 * without labels or of the wrong width is a one-line error.
 */
class EvaluateCommandTest {

  @TempDir static Path dir;
  static Path digitsModel;
  static Path diabetesModel;

  @BeforeAll
  static void trainModels() throws IOException {
    digitsModel = dir.resolve("digits.safetensors");
    Cli.Run r = run("train", "-n", "digits", "-d", DIGITS.toString(), "-t", "digit", "-e", "2",
        "--save", digitsModel.toString());
    assertEquals(0, r.exitCode(), r.err());
    diabetesModel = dir.resolve("diabetes.safetensors");
    r = run("train", "-n", "diabetes", "-e", "2", "--optimizer", "sgd", "--lr", "1e-3",
        "--save", diabetesModel.toString());
    assertEquals(0, r.exitCode(), r.err());
  }

  @Test
  void classifierLossAccuracyAndConfusionMatrixAreTheModels() throws IOException {
    Cli.Run r = run("evaluate", digitsModel.toString(), DIGITS.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("", r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("Digits (digits.safetensors) on digits.csv.gz: 1797 samples", lines.get(0));

    Dataset data = Csv.classification(DIGITS, "digit");
    DigitsModel model = new DigitsModel(9);
    ModelFile.load(model, digitsModel);
    model.setTraining(false);
    Metrics metrics = Metrics.of(model, data);
    assertEquals(metrics.toString(), lines.get(1));
    ConfusionMatrix matrix = ConfusionMatrix.of(model, data);
    assertEquals(matrix.toString(), String.join("\n", lines.subList(2, lines.size())) + "\n");

    // By hand: the printed table's counts sum to the rows, its diagonal to the correct ones.
    long total = 0;
    long diagonal = 0;
    for (int a = 0; a < 10; a++) {
      String[] cells = lines.get(4 + a).trim().split("\\s+");
      assertEquals(Integer.toString(a), cells[0]);
      for (int p = 0; p < 10; p++) {
        long count = Long.parseLong(cells[1 + p]);
        total += count;
        diagonal += a == p ? count : 0;
      }
    }
    assertEquals(1797, total);
    int correct = 0;
    double loss = 0;
    for (int i = 0; i < data.size(); i++) {
      float[] p = model.predict(data.row(i));
      int best = 0;
      for (int k = 1; k < 10; k++) {
        best = p[k] > p[best] ? k : best;
      }
      correct += best == data.label(i) ? 1 : 0;
      loss -= Math.log(p[data.label(i)]);
    }
    assertEquals(correct, diagonal);
    Matcher printed = Pattern.compile("loss ([0-9.]+) accuracy ([0-9.]+)%").matcher(lines.get(1));
    assertTrue(printed.matches(), lines.get(1));
    assertEquals(loss / data.size(), Double.parseDouble(printed.group(1)), 1e-4);
    assertEquals(100.0 * correct / data.size(), Double.parseDouble(printed.group(2)), 0.05);
  }

  @Test
  void aStandardisedModelIsAppliedWithItsTrainingStatistics() throws IOException {
    Path file = dir.resolve("standardised.safetensors");
    Cli.Run trained = run("train", "-n", "diabetes", "-e", "100", "--lr", "0.01", "--standardize",
        "--validation-split", "0.2", "--seed", "5", "--save", file.toString());
    assertEquals(0, trained.exitCode(), trained.err());
    Dataset data = Csv.regression(DIABETES);
    // The statistics of the training split train used (the same split, from the same seed).
    Standardizer x = Standardizer.fitFeatures(data.split(0.2, 5).train());
    assertEquals(x.encode(), SafeTensors.read(file).metadata().get("standardize"));

    Cli.Run r = run("evaluate", file.toString(), DIABETES.toString());
    assertEquals(0, r.exitCode(), r.err());
    Model model = new DiabetesModel(3);
    ModelFile.load(model, file);
    model.setTraining(false);
    double mse = Metrics.of(model, x.applyToFeatures(data)).mse();
    double raw = Metrics.of(model, data).mse();
    Matcher printed = Pattern.compile("loss (\\S+) mse (\\S+) mae (\\S+)")
        .matcher(r.out().lines().toList().get(1));
    assertTrue(printed.matches(), r.out());
    assertEquals(mse, Double.parseDouble(printed.group(2)), 1e-4 * mse);
    assertTrue(Math.abs(raw - mse) > 0.1 * mse,
        "raw inputs give another mse: " + raw + " vs " + mse);

    // predict standardises too: its first prediction is the model's on the standardised row.
    Cli.Run p = run("predict", file.toString(), DIABETES.toString());
    assertEquals(0, p.exitCode(), p.err());
    float expected = model.predict(x.applyToFeatures(data).row(0))[0];
    assertEquals(expected, Float.parseFloat(p.out().lines().toList().get(1)),
        1e-5 * Math.abs(expected));
  }

  @Test
  void regressionPrintsLossMseAndMae() throws IOException {
    Cli.Run r = run("evaluate", diabetesModel.toString(), DIABETES.toString());
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size(), r.out());
    assertEquals("Diabetes (diabetes.safetensors) on diabetes.csv: 442 samples", lines.get(0));
    Dataset data = Csv.regression(DIABETES);
    Model model = new DiabetesModel(3);
    ModelFile.load(model, diabetesModel);
    model.setTraining(false);
    double squares = 0;
    double absolutes = 0;
    for (int i = 0; i < data.size(); i++) {
      double e = model.predict(data.row(i))[0] - data.target(i, 0);
      squares += e * e;
      absolutes += Math.abs(e);
    }
    Matcher printed = Pattern.compile("loss (\\S+) mse (\\S+) mae (\\S+)").matcher(lines.get(1));
    assertTrue(printed.matches(), lines.get(1));
    double mse = squares / data.size();
    assertEquals(mse, Double.parseDouble(printed.group(2)), 1e-4 * mse);
    assertEquals(absolutes / data.size(), Double.parseDouble(printed.group(3)), 1e-3);
    // Diabetes's loss is the mean squared error.
    assertEquals(mse, Double.parseDouble(printed.group(1)), 1e-4 * mse);
  }

  @Test
  void dataWithoutLabelsOrOfTheWrongWidthIsRefused() throws IOException {
    Dataset data = Csv.classification(DIGITS, "digit");
    StringBuilder pixels = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      float[] row = data.row(i);
      for (int p = 0; p < 64; p++) {
        pixels.append(p == 0 ? "" : ",").append((int) row[p]);
      }
      pixels.append('\n');
    }
    Path unlabelled = dir.resolve("pixels.csv");
    Files.writeString(unlabelled, pixels);
    assertEquals("annonet evaluate: error: pixels.csv has 64 columns, one per input of Digits, "
        + "and no label column: evaluate needs the labels (a last column, or name it with "
        + "--target); 'annonet predict' takes a file without them",
        run("evaluate", "--no-header", digitsModel.toString(), unlabelled.toString())
            .oneLineError(1));

    assertEquals("annonet evaluate: error: diabetes.csv has 10 input columns beside the label "
        + "column but Digits takes 64 inputs: give 64 input columns and the label column, or "
        + "choose them with --features and --target",
        run("evaluate", digitsModel.toString(), DIABETES.toString()).oneLineError(1));

    Path labels = dir.resolve("labels.csv");
    Files.writeString(labels, pixels.toString().lines().map(l -> l + ",12")
        .reduce("", (a, b) -> a + b + "\n"));
    assertEquals("annonet evaluate: error: row 0 of the dataset has label 12 but the network "
        + "has 10 classes (labels 0..9): re-encode the labels or give the last layer more units",
        run("evaluate", "--no-header", digitsModel.toString(), labels.toString())
            .oneLineError(1));

    Path none = dir.resolve("none.safetensors");
    assertEquals("annonet evaluate: error: " + none + " does not exist: give the file that "
        + "'annonet train --save' wrote",
        run("evaluate", none.toString(), DIGITS.toString()).oneLineError(1));
    assertEquals("Unknown option: '--probabilities'; see 'annonet evaluate --help'",
        run("evaluate", "--probabilities", digitsModel.toString(), DIGITS.toString())
            .oneLineError(2));
  }

  @Test
  void helpListsTheOptions() {
    Cli.Run help = run("evaluate", "--help");
    assertEquals(0, help.exitCode());
    for (String option : new String[] {"MODEL", "DATA", "--network", "--target", "--features",
        "--no-header", "--help"}) {
      assertTrue(help.out().contains(option), option + " missing from\n" + help.out());
    }
  }
}
