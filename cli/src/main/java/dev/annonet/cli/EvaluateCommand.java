package dev.annonet.cli;

import dev.annonet.Model;
import dev.annonet.Task;
import dev.annonet.data.Dataset;
import dev.annonet.train.ConfusionMatrix;
import dev.annonet.train.Metrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code annonet evaluate}: a saved model's loss on a labelled CSV file (or IDX folder), with
 * the accuracy and the confusion matrix of a classifier, the mean squared and absolute errors of
 * a regression network.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Prints a saved model's loss on labelled data: with accuracy and the confusion matrix "
          + "for classifiers, mse and mae for regression.",
      "The CSV is the one train reads, label column included."
    })
final class EvaluateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL",
      description = "A model file written by 'annonet train --save'.")
  Path modelFile;

  @Parameters(index = "1", paramLabel = "DATA",
      description = "A CSV file (.csv or .csv.gz) with the inputs and the label column, or a "
          + "folder of IDX files.")
  Path data;

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
    Dataset labelled = saved.prepare(read(model));
    Metrics metrics = Metrics.of(model, labelled);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%s (%s) on %s: %d samples%n", model.name(), modelFile.getFileName(),
        data.getFileName(), labelled.size());
    out.println(metrics);
    if (model.task() == Task.MULTICLASS && model.steps() == 1
        || model.task() == Task.BINARY && model.outputSize() == 1) {
      out.print(ConfusionMatrix.of(model, labelled));
    }
    out.flush();
    return 0;
  }

  private Dataset read(Model model) throws IOException {
    if (Files.isDirectory(data)) {
      return DataFiles.idx(data);
    }
    SavedModel.requireFile(data, "CSV file", "give a CSV file or a folder of IDX files");
    boolean classification = model.task() != Task.REGRESSION;
    Dataset d = DataFiles.csv(data, columns.features, columns.targets, !columns.noHeader,
        classification);
    boolean defaultColumns = columns.features.isEmpty() && columns.targets.isEmpty();
    if (defaultColumns && d.inputSize() + 1 == model.inputSize()) {
      throw new IllegalArgumentException(data.getFileName() + " has " + model.inputSize()
          + " columns, one per input of " + model.name() + ", and no label column: evaluate "
          + "needs the labels (a last column, or name it with --target); 'annonet predict' "
          + "takes a file without them");
    }
    if (d.inputSize() != model.inputSize()) {
      throw new IllegalArgumentException(data.getFileName() + " has " + d.inputSize()
          + " input column" + (d.inputSize() == 1 ? "" : "s") + " beside the label column but "
          + model.name() + " takes " + model.inputSize() + " inputs: give " + model.inputSize()
          + " input columns and the label column, or choose them with --features and --target");
    }
    return d;
  }
}
