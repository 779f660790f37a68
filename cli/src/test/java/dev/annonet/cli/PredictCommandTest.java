package dev.annonet.cli;

import static dev.annonet.cli.Cli.DIABETES;
import static dev.annonet.cli.Cli.DIGITS;
import static dev.annonet.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.Model;
import dev.annonet.data.Csv;
import dev.annonet.data.Dataset;
import dev.annonet.examples.diabetes.DiabetesModel;
import dev.annonet.examples.digits.DigitsModel;
import dev.annonet.io.ModelFile;
import dev.annonet.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * annonet predict: the classes and probabilities it writes are the model's own (loaded from the
 * same file through Java), for a CSV with or without its label column, printed or written to a
 * file; bad input is one line on stderr with exit code 1 (2 for options).
 */
class PredictCommandTest {

  @TempDir static Path dir;
  static Path digitsModel;
  static Path diabetesModel;
  static Dataset digits;

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
    digits = Csv.classification(DIGITS, "digit");
  }

  private static Model load(Model model, Path file) throws IOException {
    ModelFile.load(model, file);
    model.setTraining(false);
    return model;
  }

  private static int argmax(float[] v) {
    int best = 0;
    for (int k = 1; k < v.length; k++) {
      best = v[k] > v[best] ? k : best;
    }
    return best;
  }

  @Test
  void classesAreTheArgmaxOfTheModelsOwnPredictions() throws IOException {
    Cli.Run r = run("predict", digitsModel.toString(), DIGITS.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("", r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("class", lines.get(0));
    assertEquals(digits.size() + 1, lines.size());
    Model model = load(new DigitsModel(5), digitsModel);
    int agree = 0;
    for (int i = 0; i < digits.size(); i++) {
      float[] p = model.predict(digits.row(i));
      int best = argmax(p);
      float second = Float.NEGATIVE_INFINITY;
      for (int k = 0; k < p.length; k++) {
        second = k == best ? second : Math.max(second, p[k]);
      }
      // The command predicts 1,024 rows at a time, this one row: the same up to rounding, so a
      // near tie may go either way.
      if (p[best] - second > 1e-4) {
        assertEquals(Integer.toString(best), lines.get(i + 1), "row " + i);
      }
      agree += Integer.parseInt(lines.get(i + 1)) == digits.label(i) ? 1 : 0;
    }
    // Two epochs on raw pixels: far better than the 10% of chance.
    assertTrue(agree > digits.size() * 0.8, agree + " of " + digits.size());
  }

  @Test
  void probabilitiesAreTheModelsAndSumToOne() throws IOException {
    Cli.Run r = run("predict", "--probabilities", digitsModel.toString(), DIGITS.toString());
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("class,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9", lines.get(0));
    Model model = load(new DigitsModel(5), digitsModel);
    for (int i = 0; i < digits.size(); i++) {
      String[] fields = lines.get(i + 1).split(",");
      assertEquals(11, fields.length);
      float[] expected = model.predict(digits.row(i));
      float[] printed = new float[10];
      double sum = 0;
      for (int k = 0; k < 10; k++) {
        printed[k] = Float.parseFloat(fields[k + 1]);
        // Batches of 1,024 rows against one row at a time: the same model, up to rounding.
        assertEquals(expected[k], printed[k], 1e-5, "row " + i + " p" + k);
        sum += printed[k];
      }
      assertEquals(1, sum, 1e-5, "row " + i);
      assertEquals(Integer.toString(argmax(printed)), fields[0], "row " + i);
    }
  }

  @Test
  void aFileWithoutTheLabelColumnOrWithChosenColumnsGivesTheSamePredictions()
      throws IOException {
    String labelled = run("predict", "-p", digitsModel.toString(), DIGITS.toString()).out();
    // The 64 pixel columns alone: as many columns as the network has inputs.
    Path unlabelled = dir.resolve("pixels.csv");
    Files.writeString(unlabelled, csv(digits, false, false, true));
    Cli.Run r = run("predict", "-p", digitsModel.toString(), unlabelled.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(labelled, r.out());
    // Without a header.
    Path bare = dir.resolve("bare.csv");
    Files.writeString(bare, csv(digits, false, false, false));
    r = run("predict", "-p", "--no-header", digitsModel.toString(), bare.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(labelled, r.out());
    // The label first and an id column: the inputs named with --features, or the label with
    // --target... and the id is then an input too, which does not fit.
    Path withId = dir.resolve("id.csv");
    Files.writeString(withId, csv(digits, true, true, true));
    StringJoiner pixels = new StringJoiner(",");
    for (int p = 0; p < 64; p++) {
      pixels.add("p" + p);
    }
    r = run("predict", "-p", "--features", pixels.toString(), digitsModel.toString(),
        withId.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(labelled, r.out());
    r = run("predict", "-p", "--features", pixels.toString(), "--target", "digit",
        digitsModel.toString(), withId.toString());
    assertEquals(labelled, r.out());
    assertEquals("annonet predict: error: id.csv: Digits takes 64 inputs per sample but 65 "
        + "columns were chosen: choose 64 with --features",
        run("predict", "--target", "digit", digitsModel.toString(), withId.toString())
            .oneLineError(1));
    // The original file with its label named.
    assertEquals(labelled, run("predict", "-p", "-t", "digit", digitsModel.toString(),
        DIGITS.toString()).out());
  }

  /** The digits as CSV: optionally an id column and the label first, then the pixels. */
  private static String csv(Dataset d, boolean id, boolean label, boolean header) {
    StringBuilder s = new StringBuilder();
    if (header) {
      StringJoiner names = new StringJoiner(",");
      if (id) {
        names.add("id");
      }
      if (label) {
        names.add("digit");
      }
      for (int p = 0; p < 64; p++) {
        names.add("p" + p);
      }
      s.append(names).append('\n');
    }
    for (int i = 0; i < d.size(); i++) {
      StringJoiner row = new StringJoiner(",");
      if (id) {
        row.add(Integer.toString(1000 + i));
      }
      if (label) {
        row.add(Integer.toString(d.label(i)));
      }
      for (float v : d.row(i)) {
        row.add(Float.toString(v));
      }
      s.append(row).append('\n');
    }
    return s.toString();
  }

  @Test
  void writesTheSameCsvToAFileAndSaysSo() throws IOException {
    Path out = dir.resolve("predictions.csv");
    Cli.Run r = run("predict", digitsModel.toString(), DIGITS.toString(), "--out",
        out.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("wrote 1797 predictions of Digits to " + out + " (class)", r.out().strip());
    assertEquals(run("predict", digitsModel.toString(), DIGITS.toString()).out(),
        Files.readString(out));
  }

  @Test
  void regressionPredictionsAreTheOutputs() throws IOException {
    Cli.Run r = run("predict", diabetesModel.toString(), DIABETES.toString());
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("prediction", lines.get(0));
    Dataset data = Csv.regression(DIABETES);
    assertEquals(data.size() + 1, lines.size());
    Model model = load(new DiabetesModel(1), diabetesModel);
    for (int i = 0; i < data.size(); i++) {
      float expected = model.predict(data.row(i))[0];
      assertEquals(expected, Float.parseFloat(lines.get(i + 1)),
          1e-5 * Math.max(1, Math.abs(expected)), "row " + i);
    }
    assertEquals("--probabilities applies to classifiers, but Diabetes is a regression "
        + "network: drop it, its outputs are the predictions; see 'annonet predict --help'",
        run("predict", "-p", diabetesModel.toString(), DIABETES.toString()).oneLineError(2));
  }

  @Test
  void missingCorruptAndMisfittingFilesAreOneLineErrors() throws IOException {
    Path none = dir.resolve("none.safetensors");
    assertEquals("annonet predict: error: " + none + " does not exist: give the file that "
        + "'annonet train --save' wrote",
        run("predict", none.toString(), DIGITS.toString()).oneLineError(1));
    assertEquals("annonet predict: error: nope.csv does not exist: give a CSV file or a folder "
        + "of IDX files",
        run("predict", digitsModel.toString(), "nope.csv").oneLineError(1));

    byte[] bytes = Files.readAllBytes(digitsModel);
    Path flipped = dir.resolve("flipped.safetensors");
    byte[] changed = bytes.clone();
    changed[changed.length - 100] ^= 0x04;
    Files.write(flipped, changed);
    String corrupt = run("predict", flipped.toString(), DIGITS.toString()).oneLineError(1);
    assertTrue(corrupt.startsWith("annonet predict: error: " + flipped + " is corrupted: its "
        + "checksum is "), corrupt);

    Path cut = dir.resolve("cut.safetensors");
    Files.write(cut, java.util.Arrays.copyOf(bytes, 200));
    String truncated = run("predict", cut.toString(), DIGITS.toString()).oneLineError(1);
    assertTrue(truncated.startsWith("annonet predict: error: " + cut + " is not a safetensors "
        + "file, or is truncated"), truncated);

    Path narrow = dir.resolve("narrow.csv");
    Files.writeString(narrow, "a,b,c\n1,2,3\n");
    assertEquals("annonet predict: error: narrow.csv has 3 columns but Digits takes 64 inputs: "
        + "give 64 feature columns, optionally followed by the label column, or choose the "
        + "columns with --features",
        run("predict", digitsModel.toString(), narrow.toString()).oneLineError(1));

    assertEquals("annonet predict: error: " + digitsModel + " holds network Digits (digits) "
        + "but --network says diabetes: drop --network, or give a file saved from diabetes",
        run("predict", "-n", "diabetes", digitsModel.toString(), DIGITS.toString())
            .oneLineError(1));
  }

  @Test
  void filesOfOtherNetworksNeedTheirNetworkNamed() throws IOException {
    Map<String, SafeTensors.Tensor> tensors =
        Map.of("fc.weight", new SafeTensors.Tensor(new int[] {2, 3}, new float[6]));
    Path foreign = dir.resolve("foreign.safetensors");
    SafeTensors.write(tensors, Map.of(), foreign);
    assertEquals("annonet predict: error: " + foreign + " does not record which network it "
        + "holds (a file written by another program?): name it with --network, one of digits "
        + "(Digits), residual (ResidualDigits), diabetes (Diabetes), lenet (LeNet), neuron "
        + "(SigmoidNeuron)",
        run("predict", foreign.toString(), DIGITS.toString()).oneLineError(1));
    String misfit = run("predict", "-n", "digits", foreign.toString(), DIGITS.toString())
        .oneLineError(1);
    assertTrue(misfit.startsWith("annonet predict: error: " + foreign + " does not fit Digits: "
        + "it has no tensor 'hidden.weight' [128, 64]"), misfit);

    Path other = dir.resolve("other.safetensors");
    SafeTensors.write(tensors, Map.of("format", "annonet", "network", "Iris"), other);
    String unknown = run("predict", other.toString(), DIGITS.toString()).oneLineError(1);
    assertTrue(unknown.startsWith("annonet predict: error: " + other + " holds network Iris, "
        + "which is not one of the bundled networks (digits (Digits), "), unknown);
    assertTrue(unknown.endsWith("): load it from Java with IrisModel and ModelFile.load"),
        unknown);
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertEquals("Unknown option: '--bogus'; see 'annonet predict --help'",
        run("predict", "--bogus", digitsModel.toString(), DIGITS.toString()).oneLineError(2));
    assertEquals("Missing required parameter: 'DATA'; see 'annonet predict --help'",
        run("predict", digitsModel.toString()).oneLineError(2));
    Cli.Run help = run("predict", "--help");
    assertEquals(0, help.exitCode());
    for (String option : new String[] {"MODEL", "DATA", "--out", "--probabilities",
        "--network", "--target", "--features", "--no-header", "--help"}) {
      assertTrue(help.out().contains(option), option + " missing from\n" + help.out());
    }
  }
}
