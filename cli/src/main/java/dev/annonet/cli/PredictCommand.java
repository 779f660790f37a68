package dev.annonet.cli;

import dev.annonet.Model;
import dev.annonet.Task;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code annonet predict}: a saved model's predictions for the rows of a CSV file (or the images
 * of an IDX folder), as CSV, one line per row: the predicted class of a classifier (with
 * {@code --probabilities}, also each class's probability), the outputs of a regression network.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Writes a saved model's predictions for each row of a CSV file, as CSV.",
      "Classifiers: column 'class' (and p0, p1, ... with --probabilities); regression: "
          + "column 'prediction' (prediction0, prediction1, ... for several outputs).",
      "The CSV is the one train reads, with or without its label column."
    })
final class PredictCommand implements Callable<Integer> {

  /** Rows per forward pass. */
  private static final int CHUNK = 1024;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL",
      description = "A model file written by 'annonet train --save'.")
  Path modelFile;

  @Parameters(index = "1", paramLabel = "DATA",
      description = "A CSV file (.csv or .csv.gz) with one column per input, and optionally the "
          + "label column; or a folder of IDX files.")
  Path data;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE",
      description = "Write the predictions to FILE (default: print them).")
  Path out;

  @Option(names = {"-p", "--probabilities"},
      description = "Classifiers: add each class's probability (p0, p1, ...; for a binary "
          + "network p1, the probability of class 1).")
  boolean probabilities;

  @Option(names = {"-n", "--network"}, paramLabel = "NAME",
      description = "The network of the model file: ${COMPLETION-CANDIDATES} "
          + "(default: the one the file records).")
  BundledNetwork network;

  @Mixin CsvColumns columns;

  @Override
  public Integer call() throws IOException {
    columns.checkFor(data, spec.commandLine());
    SavedModel saved = SavedModel.load(modelFile, network);
    Model model = saved.model();
    if (probabilities && model.task() == Task.REGRESSION) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--probabilities applies "
          + "to classifiers, but " + model.name() + " is a regression network: drop it, its "
          + "outputs are the predictions");
    }
    DataFiles.Inputs inputs = DataFiles.inputs(data, model, columns.features, columns.targets,
        !columns.noHeader);
    saved.prepare(inputs.values());
    if (out == null) {
      PrintWriter printed = spec.commandLine().getOut();
      write(model, inputs, printed);
      printed.flush();
    } else {
      try (BufferedWriter file = open(out)) {
        write(model, inputs, file);
      }
      PrintWriter console = spec.commandLine().getOut();
      console.println("wrote " + inputs.rows() + " predictions of " + model.name() + " to "
          + out + " (" + String.join(",", header(model)) + ")");
      console.flush();
    }
    return 0;
  }

  /** The header row, then one row per input row. */
  private void write(Model model, DataFiles.Inputs inputs, Writer w) throws IOException {
    w.write(String.join(",", header(model)));
    w.write('\n');
    int outputs = model.outputSize();
    int chunk = Math.min(CHUNK, inputs.rows());
    model.reserve(chunk);
    float[] x = new float[chunk * model.inputSize()];
    float[] y = new float[chunk * outputs];
    StringBuilder line = new StringBuilder();
    for (int start = 0; start < inputs.rows(); start += chunk) {
      int count = Math.min(chunk, inputs.rows() - start);
      System.arraycopy(inputs.values(), start * inputs.width(), x, 0, count * inputs.width());
      model.predict(x, count, y);
      for (int r = 0; r < count; r++) {
        line.setLength(0);
        row(model, y, r * outputs, line);
        w.append(line).append('\n');
      }
    }
  }

  /** One row's columns, from the outputs at {@code at}. */
  private void row(Model model, float[] y, int at, StringBuilder line) {
    int outputs = model.outputSize();
    switch (model.task()) {
      case MULTICLASS -> {
        int best = 0;
        for (int k = 1; k < outputs; k++) {
          best = y[at + k] > y[at + best] ? k : best;
        }
        line.append(best);
      }
      case BINARY -> {
        for (int k = 0; k < outputs; k++) {
          line.append(k == 0 ? "" : ",").append(y[at + k] > 0.5f ? 1 : 0);
        }
      }
      default -> {
        for (int k = 0; k < outputs; k++) {
          line.append(k == 0 ? "" : ",").append(y[at + k]);
        }
      }
    }
    if (probabilities) {
      for (int k = 0; k < outputs; k++) {
        line.append(',').append(y[at + k]);
      }
    }
  }

  /** The column names. */
  private List<String> header(Model model) {
    int outputs = model.outputSize();
    List<String> names = new ArrayList<>();
    switch (model.task()) {
      case MULTICLASS -> names.add("class");
      case BINARY -> {
        for (int k = 0; k < outputs; k++) {
          names.add(outputs == 1 ? "class" : "class" + k);
        }
      }
      default -> {
        for (int k = 0; k < outputs; k++) {
          names.add(outputs == 1 ? "prediction" : "prediction" + k);
        }
      }
    }
    if (probabilities) {
      for (int k = 0; k < outputs; k++) {
        names.add(model.task() == Task.BINARY && outputs == 1 ? "p1" : "p" + k);
      }
    }
    return names;
  }

  private static BufferedWriter open(Path file) {
    try {
      return Files.newBufferedWriter(file);
    } catch (IOException e) {
      Path folder = file.toAbsolutePath().getParent();
      throw new IllegalArgumentException("cannot write " + file + ": "
          + (folder != null && !Files.isDirectory(folder)
              ? "the folder " + folder + " does not exist" : e.getMessage()));
    }
  }
}
