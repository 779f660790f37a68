package dev.annonet.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The CSV column options of {@code predict} and {@code evaluate}, as {@code train} has them. */
final class CsvColumns {

  @Option(names = {"-t", "--target"}, split = ",", paramLabel = "COLUMN",
      description = "The label or target column(s), by header name or 0-based index "
          + "(default: the last column).")
  List<String> targets = new ArrayList<>();

  @Option(names = {"--features"}, split = ",", paramLabel = "COLUMN",
      description = "The input columns, by name or 0-based index "
          + "(default: every column that is not a target).")
  List<String> features = new ArrayList<>();

  @Option(names = {"--no-header"}, description = "The CSV file has no header row.")
  boolean noHeader;

  /** Refuses the options for a folder of IDX files, which they do not describe. */
  void checkFor(Path data, CommandLine cli) {
    if (Files.isDirectory(data) && (!targets.isEmpty() || !features.isEmpty() || noHeader)) {
      throw new CommandLine.ParameterException(cli, "--target, --features and --no-header "
          + "describe a CSV file, but " + data + " is a folder of IDX files: drop them");
    }
  }
}
