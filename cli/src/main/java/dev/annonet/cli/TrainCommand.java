package dev.annonet.cli;

import dev.annonet.Model;
import dev.annonet.Models;
import dev.annonet.Task;
import dev.annonet.data.Dataset;
import dev.annonet.data.Standardizer;
import dev.annonet.io.ModelFile;
import dev.annonet.optim.Optimizer;
import dev.annonet.plot.Progress;
import dev.annonet.train.EpochRecord;
import dev.annonet.train.Trainer;
import dev.annonet.train.TrainingReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code annonet train}: trains a bundled network on its bundled data or on a CSV file or IDX
 * folder, shows a progress bar on a terminal (one line per epoch elsewhere) and the final
 * metrics, and saves the parameters.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Trains a bundled network: a progress bar on a terminal, one line per epoch elsewhere.",
      "Networks: digits, residual (8x8 digits), diabetes (regression), lenet (MNIST), "
          + "neuron (sigmoid neuron, 3 inputs)."
    })
final class TrainCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-n", "--network"}, required = true, paramLabel = "NAME",
      description = "The network: ${COMPLETION-CANDIDATES}.")
  BundledNetwork network;

  @Option(names = {"-d", "--data"}, paramLabel = "PATH",
      description = "A CSV file (.csv or .csv.gz) or a folder of IDX files (MNIST's "
          + "train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz). "
          + "Default: the network's bundled data.")
  Path data;

  @Option(names = {"-t", "--target"}, split = ",", paramLabel = "COLUMN",
      description = "CSV target column(s), by header name or 0-based index "
          + "(default: the last column).")
  List<String> targets = new ArrayList<>();

  @Option(names = {"--features"}, split = ",", paramLabel = "COLUMN",
      description = "CSV feature columns, by name or 0-based index "
          + "(default: every column that is not a target).")
  List<String> features = new ArrayList<>();

  @Option(names = {"--no-header"}, description = "The CSV file has no header row.")
  boolean noHeader;

  @Option(names = {"--standardize"},
      description = "Standardise the features with the training split's mean and deviation.")
  boolean standardize;

  @Option(names = {"--optimizer"}, paramLabel = "NAME", defaultValue = "adam",
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  OptimizerChoice optimizer;

  @Option(names = {"--lr"}, paramLabel = "RATE",
      description = "Step size (default: the optimizer's, e.g. 1e-3 for adam).")
  Float lr;

  @Option(names = {"-b", "--batch-size"}, paramLabel = "N", defaultValue = "32",
      description = "Samples per update (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = {"-e", "--epochs"}, paramLabel = "N", defaultValue = "20",
      description = "Passes over the training data (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = {"-s", "--seed"}, paramLabel = "N", defaultValue = "42",
      description = "Seed of the initialisation, the split and the shuffling "
          + "(default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = {"--validation-split"}, paramLabel = "FRACTION", defaultValue = "0.2",
      description = "Share of the data held out for validation, 0 for none "
          + "(default: ${DEFAULT-VALUE}).")
  double validationSplit;

  @Option(names = {"--save"}, paramLabel = "FILE",
      description = "Write the trained parameters to FILE (safetensors, PyTorch's state_dict "
          + "layout).")
  Path save;

  /** The progress shown while training: a bar on a terminal, else none (epoch lines instead). */
  Supplier<Progress> progress = Progress::auto;

  @Override
  public Integer call() throws IOException {
    checkOptions();
    PrintWriter out = spec.commandLine().getOut();
    Model model = network.create(seed);
    Dataset all = readData(model);
    Models.checkData(model, all, "dataset");
    Dataset train = all;
    Dataset validation = null;
    if (validationSplit > 0) {
      Dataset.Split split = all.split(validationSplit, seed);
      train = split.train();
      validation = split.test();
    }
    Standardizer x = null;
    if (standardize) {
      x = Standardizer.fitFeatures(train);
      train = x.applyToFeatures(train);
      validation = validation == null ? null : x.applyToFeatures(validation);
    }
    Optimizer opt = optimizer.create(lr);
    out.printf("%s: %d -> %d, %,d parameters; %d training samples, %s; %s lr %s, batch %d, "
            + "%d epochs, seed %d%n",
        model.name(), model.inputSize(), model.outputSize(), model.parameterCount(),
        train.size(), validation == null ? "no validation" : validation.size() + " validation",
        optimizer, opt.learningRate(), batchSize, epochs, seed);
    out.flush();
    Trainer trainer = Trainer.of(model)
        .optimizer(opt)
        .batchSize(batchSize)
        .epochs(epochs)
        .seed(seed)
        .validation(validation)
        .quiet();
    // On a terminal, a live bar per epoch (on stderr); elsewhere one line per epoch on stdout.
    Progress bar = progress.get();
    if (bar.mode() == Progress.Mode.BAR) {
      trainer.callback(bar);
    } else {
      trainer.callback((EpochRecord record, Model m) -> {
        out.println(record.describe(epochs));
        out.flush();
        return false;
      });
    }
    TrainingReport report = trainer.fit(train);
    out.println(report);
    if (save != null) {
      // predict and evaluate standardise their inputs with the training split's statistics.
      ModelFile.save(model, save,
          x == null ? Map.of() : Map.of(SavedModel.STANDARDIZE, x.encode()));
      out.println("saved " + save);
    }
    out.flush();
    return 0;
  }

  private void checkOptions() {
    CommandLine cli = spec.commandLine();
    if (epochs < 1) {
      throw new ParameterException(cli, "--epochs must be at least 1, got " + epochs);
    }
    if (batchSize < 1) {
      throw new ParameterException(cli, "--batch-size must be at least 1, got " + batchSize);
    }
    if (!(validationSplit >= 0 && validationSplit < 1)) {
      throw new ParameterException(cli, "--validation-split must be in [0, 1), got "
          + validationSplit + ": 0.2 holds out a fifth of the data, 0 none");
    }
    if (lr != null && !(lr > 0 && Float.isFinite(lr))) {
      throw new ParameterException(cli, "--lr must be a positive number, got " + lr);
    }
    if (data == null && (!targets.isEmpty() || !features.isEmpty() || noHeader)) {
      throw new ParameterException(cli, "--target, --features and --no-header describe a CSV "
          + "file: give it with --data");
    }
    if (save != null) {
      checkSaveTarget(save);
    }
  }

  /**
   * Fails before any training unless the model can be written to {@code file}: it must not be
   * a folder, and its nearest existing parent must be a writable folder (missing folders below
   * it are created when saving). Found after training, the trained model would be lost.
   */
  static void checkSaveTarget(Path file) {
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException("--save " + file + " is a folder: give a file name,"
          + " e.g. " + file.resolve("model.safetensors"));
    }
    Path parent = file.toAbsolutePath().getParent();
    while (parent != null && !Files.exists(parent)) {
      parent = parent.getParent();
    }
    if (parent == null) {
      return;
    }
    if (!Files.isDirectory(parent)) {
      throw new IllegalArgumentException("--save " + file + " cannot be written: " + parent
          + " is a file, not a folder; choose a path in a folder");
    }
    if (!Files.isWritable(parent)) {
      throw new IllegalArgumentException("--save " + file + " cannot be written: the folder "
          + parent + " is not writable (permission denied); choose a folder you can write to");
    }
  }

  private Dataset readData(Model model) throws IOException {
    if (data == null) {
      return network.bundledData();
    }
    if (Files.isDirectory(data)) {
      return DataFiles.idx(data);
    }
    if (!Files.isRegularFile(data)) {
      throw new IllegalArgumentException(data + " does not exist: give a CSV file or a folder "
          + "of IDX files");
    }
    return DataFiles.csv(data, features, targets, !noHeader, model.task() != Task.REGRESSION);
  }
}
