package dev.annonet.cli;

import static dev.annonet.cli.Cli.DIGITS;
import static dev.annonet.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.data.Csv;
import dev.annonet.data.Dataset;
import dev.annonet.examples.digits.DigitsModel;
import dev.annonet.examples.lenet.LeNetModel;
import dev.annonet.io.ModelFile;
import dev.annonet.plot.Progress;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnonetTest {

  @Test
  void trainsDigitsFromCsvAndSavesTheTrainedModel(@TempDir Path dir) throws IOException {
    Path saved = dir.resolve("digits.safetensors");
    Cli.Run r = run("train", "--network", "digits", "--data", DIGITS.toString(), "--target",
        "digit", "--optimizer", "adam", "--lr", "1e-3", "--batch-size", "32", "--epochs", "3",
        "--seed", "42", "--validation-split", "0.2", "--save", saved.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("", r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("Digits: 64 -> 10, 9,610 parameters; 1438 training samples, 359 validation; "
        + "adam lr 0.001, batch 32, 3 epochs, seed 42", lines.get(0));
    for (int epoch = 1; epoch <= 3; epoch++) {
      assertTrue(lines.get(epoch).startsWith("epoch " + epoch + "/3 loss "), lines.get(epoch));
    }
    assertTrue(lines.get(4).startsWith("stopped after 3 epochs (MAX_EPOCHS: ran all 3 epochs), 135 updates"),
        lines.get(4));
    assertEquals("saved " + saved, lines.get(5));
    assertEquals(6, lines.size(), r.out());

    // The file holds the trained parameters: loaded into a model of another seed, it scores on
    // the held-out split exactly the accuracy the command printed.
    DigitsModel loaded = new DigitsModel(7);
    float[] untrained = loaded.parameters().clone();
    ModelFile.load(loaded, saved);
    assertFalse(Arrays.equals(untrained, loaded.parameters()));
    Dataset test = Csv.classification(DIGITS, "digit").split(0.2, 42).test();
    loaded.setTraining(false);
    int correct = 0;
    for (int i = 0; i < test.size(); i++) {
      if (argmax(loaded.predict(test.row(i))) == test.label(i)) {
        correct++;
      }
    }
    double accuracy = 100.0 * correct / test.size();
    Matcher printed = Pattern.compile("validation loss \\S+ accuracy ([0-9.]+)%")
        .matcher(lines.get(4));
    assertTrue(printed.find(), lines.get(4));
    assertEquals(Double.parseDouble(printed.group(1)), accuracy, 0.05 + 1e-9);
    // Raw 0..16 pixels, 3 epochs: well above the 10% of chance, below the 99% of 40 epochs.
    assertTrue(accuracy > 80, "held-out accuracy after 3 epochs: " + accuracy);
  }

  @Test
  void trainsLenetFromAnIdxFolder(@TempDir Path dir) throws IOException {
    int n = 12;
    Random random = new Random(3);
    byte[] pixels = new byte[n * 28 * 28];
    random.nextBytes(pixels);
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) (i % 10);
    }
    writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), 2051, new int[] {n, 28, 28}, pixels);
    writeIdx(dir.resolve("train-labels-idx1-ubyte.gz"), 2049, new int[] {n}, labels);
    Path saved = dir.resolve("lenet.safetensors");
    Cli.Run r = run("train", "-n", "lenet", "-d", dir.toString(), "-e", "1", "-b", "4",
        "--validation-split", "0", "--save", saved.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("LeNet: 784 -> 10, 44,426 parameters; 12 training samples, "
        + "no validation; adam lr 0.001, batch 4, 1 epochs, seed 42"), r.out());
    assertTrue(r.out().contains("stopped after 1 epochs (MAX_EPOCHS: ran all 1 epochs), 3 updates"), r.out());
    LeNetModel loaded = new LeNetModel(1);
    ModelFile.load(loaded, saved);
    assertFalse(Arrays.equals(new LeNetModel(42).parameters(), loaded.parameters()),
        "the saved parameters are the trained ones, not the initial ones");

    // predict and evaluate read the same folder.
    Cli.Run predicted = run("predict", saved.toString(), dir.toString());
    assertEquals(0, predicted.exitCode(), predicted.err());
    List<String> classes = predicted.out().lines().toList();
    assertEquals(n + 1, classes.size(), predicted.out());
    Cli.Run evaluated = run("evaluate", saved.toString(), dir.toString());
    assertEquals(0, evaluated.exitCode(), evaluated.err());
    List<String> report = evaluated.out().lines().toList();
    assertEquals("LeNet (lenet.safetensors) on " + dir.getFileName() + ": 12 samples",
        report.get(0));
    int correct = 0;
    for (int i = 0; i < n; i++) {
      correct += classes.get(i + 1).equals(Integer.toString(i % 10)) ? 1 : 0;
    }
    assertTrue(report.get(1).endsWith(String.format(" accuracy %.1f%%", 100.0 * correct / n)),
        report.get(1) + " vs " + correct + " of " + n);
    assertEquals("--target, --features and --no-header describe a CSV file, but " + dir
        + " is a folder of IDX files: drop them; see 'annonet predict --help'",
        run("predict", "--no-header", saved.toString(), dir.toString()).oneLineError(2));
  }

  @Test
  void helpListsTheOptions() {
    Cli.Run r = run("train", "--help");
    assertEquals(0, r.exitCode());
    String help = r.out().replaceAll("\\s+", " ");
    for (String option : new String[] {"--network", "--data", "--target", "--features",
        "--no-header", "--standardize", "--optimizer", "--lr", "--batch-size", "--epochs",
        "--seed", "--validation-split", "--save", "--help"}) {
      assertTrue(help.contains(option), option + " missing from\n" + r.out());
    }
    assertTrue(help.contains("The network: digits, residual, diabetes, lenet, neuron."),
        r.out());
    assertTrue(help.contains("adam, adamw, amsgrad, sgd, momentum, nesterov, adagrad, "
        + "rmsprop, gd, linesearch (default: adam)"), r.out());
    Cli.Run top = run("--help");
    assertEquals(0, top.exitCode());
    for (String verb : new String[] {"train", "predict", "evaluate", "inspect"}) {
      assertTrue(top.out().contains("\n  " + verb + " "), verb + " missing from\n" + top.out());
    }
    assertEquals(top.out(), run().out(), "without a verb: the usage");
  }

  @Test
  void badOptionsExitWithTwoAndPicocliMessage() {
    Cli.Run unknown = run("train", "--network", "digits", "--epoch", "3");
    assertEquals(2, unknown.exitCode());
    assertEquals("Unknown options: '--epoch', '3' (possible solutions: --epochs); see 'annonet "
        + "train --help'", unknown.err().strip());

    Cli.Run badValue = run("train", "--network", "digits", "--optimizer", "adamx");
    assertEquals(2, badValue.exitCode());
    assertEquals("Invalid value for option '--optimizer': expected one of [adam, adamw, "
        + "amsgrad, sgd, momentum, nesterov, adagrad, rmsprop, gd, linesearch] but was 'adamx'; "
        + "see 'annonet train --help'", badValue.err().strip());

    Cli.Run network = run("train", "--network", "resnet");
    assertEquals(2, network.exitCode());
    assertTrue(network.err().startsWith("Invalid value for option '--network': expected one of "
        + "[digits, residual, diabetes, lenet, neuron] but was 'resnet'"), network.err());
    assertEquals(0, run("train", "--network", "DIGITS", "--help").exitCode());

    Cli.Run missing = run("train", "--epochs", "3");
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().startsWith("Missing required option: '--network=NAME'"),
        missing.err());

    Cli.Run zero = run("train", "--network", "digits", "--epochs", "0");
    assertEquals(2, zero.exitCode());
    assertTrue(zero.err().startsWith("--epochs must be at least 1, got 0"), zero.err());

    Cli.Run split = run("train", "--network", "digits", "--validation-split", "1");
    assertEquals(2, split.exitCode());
    assertTrue(split.err().startsWith("--validation-split must be in [0, 1), got 1.0"),
        split.err());
  }

  @Test
  void aSaveTargetThatCannotBeWrittenFailsBeforeTraining(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("notes.txt"), "a file");
    Path under = file.resolve("sub").resolve("model.safetensors");
    Cli.Run inFile = run("train", "--network", "digits", "--epochs", "50", "--save",
        under.toString());
    assertEquals(1, inFile.exitCode());
    assertEquals("annonet train: error: --save " + under + " cannot be written: " + file
        + " is a file, not a folder; choose a path in a folder", inFile.err().strip());
    assertEquals("", inFile.out(), "nothing was trained");

    Cli.Run folder = run("train", "--network", "digits", "--save", dir.toString());
    assertEquals(1, folder.exitCode());
    assertEquals("annonet train: error: --save " + dir + " is a folder: give a file name, e.g. "
        + dir.resolve("model.safetensors"), folder.err().strip());
    assertEquals("", folder.out(), "nothing was trained");

    // Missing folders below a writable one are fine: saving creates them.
    Path deep = dir.resolve("runs/1/model.safetensors");
    Cli.Run ok = run("train", "--network", "digits", "--epochs", "1", "--save", deep.toString());
    assertEquals(0, ok.exitCode(), ok.err());
    assertTrue(Files.isRegularFile(deep));
  }

  @Test
  void aColumnIndexTooLongForAnIntIsNamed() {
    for (String index : new String[] {"99999999999", "2147483648", "0,123456789012345678901"}) {
      Cli.Run r = run("train", "--network", "digits", "--data", DIGITS.toString(), "--target",
          "digit", "--features", index);
      assertEquals(1, r.exitCode(), r.err());
      String bad = index.substring(index.lastIndexOf(',') + 1);
      assertEquals("annonet train: error: column index " + bad + " is far beyond any CSV's"
          + " columns: give indices counted from 0, or column names", r.err().strip());
    }
  }

  @Test
  void damagedFilesReachTheUserAsOneLineNamingThem(@TempDir Path dir) throws IOException {
    byte[] digits = Files.readAllBytes(DIGITS);
    Path idx = Files.createDirectories(dir.resolve("idx"));
    Files.write(idx.resolve("train-images-idx3-ubyte"), new byte[0]);
    Files.write(idx.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1});
    Path csv = Files.write(dir.resolve("cut.csv.gz"), Arrays.copyOf(digits, digits.length / 2));
    Path header = Files.write(dir.resolve("header.csv.gz"), Arrays.copyOf(digits, 5));
    String[][] runs = {
        {"cut.csv.gz", "train", "--network", "digits", "--data", csv.toString(), "--target",
            "digit"},
        {"header.csv.gz", "train", "--network", "digits", "--data", header.toString(),
            "--target", "digit"},
        {"train-images-idx3-ubyte", "train", "--network", "lenet", "--data", idx.toString()},
    };
    for (String[] run : runs) {
      String[] args = Arrays.copyOfRange(run, 1, run.length);
      Cli.Run r = run(args);
      assertEquals(1, r.exitCode(), String.join(" ", args));
      String err = r.err().strip();
      assertEquals(1, err.lines().count(), err);
      assertTrue(err.startsWith("annonet train: error: ") && err.contains(run[0]), err);
      assertTrue(err.contains("truncated"), err);
      assertTrue(!err.contains("null") && !err.contains("Exception"), err);
    }
  }

  @Test
  void badDataExitsWithOneAndTheReadersMessage(@TempDir Path dir) throws IOException {
    Cli.Run none = run("train", "--network", "digits", "--data",
        dir.resolve("nope.csv").toString());
    assertEquals(1, none.exitCode());
    assertEquals("annonet train: error: " + dir.resolve("nope.csv") + " does not exist: give a "
        + "CSV file or a folder of IDX files", none.err().strip());

    Cli.Run column = run("train", "--network", "digits", "--data", DIGITS.toString(), "--target",
        "label");
    assertEquals(1, column.exitCode());
    assertTrue(column.err().startsWith("annonet train: error: digits.csv.gz: no column named "
        + "'label'; the header has p0, p1,"), column.err());

    Cli.Run neuron = run("train", "--network", "neuron");
    assertEquals(1, neuron.exitCode());
    assertEquals("annonet train: error: the neuron network has no bundled data: pass --data with "
        + "a CSV file of 3 feature columns and a target in [0, 1]", neuron.err().strip());

    Path small = dir.resolve("small.csv");
    Files.writeString(small, "a,b,y\n1,2,0\n3,4,1\n");
    Cli.Run width = run("train", "--network", "digits", "--data", small.toString());
    assertEquals(1, width.exitCode());
    assertTrue(width.err().startsWith("annonet train: error: "), width.err());
    assertTrue(width.err().contains("takes 64 inputs per sample but the dataset rows have 2 "
        + "values"), width.err());
  }

  private static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private static void writeIdx(Path file, int magic, int[] dims, byte[] data) throws IOException {
    try (OutputStream raw = Files.newOutputStream(file);
        DataOutputStream out = new DataOutputStream(new GZIPOutputStream(raw))) {
      out.writeInt(magic);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(data);
    }
  }

  @Test
  void onATerminalTheProgressBarReplacesTheEpochLines() {
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    Cli.Run r = Cli.run(() -> Progress.of(new PrintStream(terminal, true, StandardCharsets.UTF_8),
        Progress.Mode.BAR).width(100), "train", "--network", "diabetes", "--epochs", "2");
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).startsWith("Diabetes: 10 -> 1"), r.out());
    assertTrue(lines.get(1).startsWith("stopped after 2 epochs"), r.out());
    assertEquals(2, lines.size(), r.out());
    String bars = terminal.toString(StandardCharsets.UTF_8);
    // The progress line ends as each epoch's permanent line, on the terminal, not on stdout.
    assertTrue(bars.contains("epoch 1/2  loss "), bars);
    assertTrue(bars.contains("epoch 2/2  loss "), bars);
    assertTrue(bars.contains("val loss "), bars);
    assertTrue(bars.contains("samples/s"), bars);

    // Elsewhere (as under the test runner, which has no console) one line per epoch.
    Cli.Run plain = Cli.run(() -> Progress.of(new PrintStream(terminal), Progress.Mode.PLAIN),
        "train", "--network", "diabetes", "--epochs", "2");
    assertTrue(plain.out().lines().toList().get(1).startsWith("epoch 1/2 loss "), plain.out());
  }

  @Test
  void trainsOnTheBundledDataWithoutDataOption() {
    Cli.Run r = run("train", "--network", "diabetes", "--epochs", "2", "--standardize",
        "--optimizer", "sgd", "--lr", "0.01", "--batch-size", "16");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("Diabetes: 10 -> 1, 193 parameters; 354 training samples, "
        + "88 validation; sgd lr 0.01, batch 16, 2 epochs, seed 42"), r.out());
  }
}
