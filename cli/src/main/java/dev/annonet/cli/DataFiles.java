package dev.annonet.cli;

import dev.annonet.Model;
import dev.annonet.data.Csv;
import dev.annonet.data.Dataset;
import dev.annonet.data.Idx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the data named by {@code --data}: a CSV file, or a folder of IDX files. */
final class DataFiles {
  private DataFiles() {}

  /**
   * Reads a CSV file (plain or gzip). Each column choice is a header name, or a 0-based index
   * when it is all digits; no targets means the last column, no features every other column.
   */
  static Dataset csv(Path file, List<String> features, List<String> targets, boolean header,
      boolean classification) throws IOException {
    Csv reader = Csv.reader();
    if (!header) {
      reader.noHeader();
    }
    if (!features.isEmpty()) {
      if (allIndices(features)) {
        reader.features(indices(features));
      } else {
        reader.features(features.toArray(new String[0]));
      }
    }
    if (!targets.isEmpty()) {
      if (allIndices(targets)) {
        reader.targets(indices(targets));
      } else {
        reader.targets(targets.toArray(new String[0]));
      }
    }
    if (classification) {
      reader.classification();
    }
    return reader.read(file);
  }

  /**
   * The inputs of {@code network} in {@code data} for prediction: a folder of IDX files (the
   * images; the labels are not used), or a CSV file with or without the label column. The CSV's
   * inputs are the {@code features} columns when given, else every column but the
   * {@code targets} when given, else every column when there are as many as the network has
   * inputs, or every column but the last when there is one more.
   */
  static Inputs inputs(Path data, Model network, List<String> features, List<String> targets,
      boolean header) throws IOException {
    if (Files.isDirectory(data)) {
      Dataset images = idx(data);
      return new Inputs(images.features(), images.inputSize(), true);
    }
    SavedModel.requireFile(data, "CSV file", "give a CSV file or a folder of IDX files");
    Inputs inputs;
    if (!features.isEmpty()) {
      inputs = columns(data, features, targets, header);
    } else if (!targets.isEmpty()) {
      Dataset d = csv(data, features, targets, header, false);
      inputs = new Inputs(d.features(), d.inputSize(), true);
    } else {
      // Every column, read as features then the last one as the target.
      Dataset d = csv(data, List.of(), List.of(), header, false);
      int width = d.inputSize() + 1;
      if (width == network.inputSize()) {
        inputs = new Inputs(joined(d), width, false);
      } else if (width == network.inputSize() + 1) {
        inputs = new Inputs(d.features(), d.inputSize(), true);
      } else {
        throw new IllegalArgumentException(data.getFileName() + " has " + width + " columns but "
            + network.name() + " takes " + network.inputSize() + " inputs: give "
            + network.inputSize() + " feature columns, optionally followed by the label column, "
            + "or choose the columns with --features");
      }
    }
    if (inputs.width() != network.inputSize()) {
      throw new IllegalArgumentException(data.getFileName() + ": " + network.name() + " takes "
          + network.inputSize() + " inputs per sample but " + inputs.width() + " column"
          + (inputs.width() == 1 ? " was" : "s were") + " chosen: choose "
          + network.inputSize() + " with --features");
    }
    return inputs;
  }

  /**
   * The inputs of a prediction, one row after the other.
   *
   * @param values {@code rows * width} floats, row-major
   * @param width floats per row
   * @param labelled whether the file held a label column (left out of the inputs)
   */
  record Inputs(float[] values, int width, boolean labelled) {
    int rows() {
      return values.length / width;
    }
  }

  /**
   * Exactly the {@code chosen} columns, in their order: the reader takes the last of them as
   * its target (or, for one column, as its only target beside every other as features).
   */
  private static Inputs columns(Path data, List<String> chosen, List<String> targets,
      boolean header) throws IOException {
    if (!targets.isEmpty()) {
      Dataset d = csv(data, chosen, targets, header, false);
      return new Inputs(d.features(), d.inputSize(), true);
    }
    if (chosen.size() == 1) {
      Dataset d = csv(data, List.of(), chosen, header, false);
      return new Inputs(d.targets(), 1, false);
    }
    Dataset d = csv(data, chosen.subList(0, chosen.size() - 1),
        List.of(chosen.get(chosen.size() - 1)), header, false);
    return new Inputs(joined(d), chosen.size(), false);
  }

  /** Each row's features followed by its targets. */
  private static float[] joined(Dataset d) {
    int in = d.inputSize();
    int out = d.targetSize();
    float[] x = d.features();
    float[] y = d.targets();
    float[] all = new float[d.size() * (in + out)];
    for (int r = 0; r < d.size(); r++) {
      System.arraycopy(x, r * in, all, r * (in + out), in);
      System.arraycopy(y, r * out, all, r * (in + out) + in, out);
    }
    return all;
  }

  /**
   * Reads the images and labels of an MNIST-style folder: {@code train-images-idx3-ubyte} and
   * {@code train-labels-idx1-ubyte} (each plain or {@code .gz}), or the {@code t10k-} pair when
   * the folder holds only the test split.
   */
  static Dataset idx(Path folder) throws IOException {
    for (String split : new String[] {"train", "t10k"}) {
      Path images = find(folder, split + "-images-idx3-ubyte");
      Path labels = find(folder, split + "-labels-idx1-ubyte");
      if (images != null && labels != null) {
        return Idx.read(images, labels);
      }
    }
    throw new IllegalArgumentException(folder + " holds no IDX pair: expected "
        + "train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz (or t10k-..., plain or "
        + "gzip), as in the MNIST download");
  }

  private static Path find(Path folder, String name) {
    for (String candidate : new String[] {name + ".gz", name}) {
      Path p = folder.resolve(candidate);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  private static boolean allIndices(List<String> columns) {
    return columns.stream().allMatch(c -> !c.isEmpty() && c.chars().allMatch(Character::isDigit));
  }

  private static int[] indices(List<String> columns) {
    int[] indices = new int[columns.size()];
    for (int i = 0; i < indices.length; i++) {
      String c = columns.get(i);
      // All digits (allIndices): too long for an int is the only way to fail.
      try {
        indices[i] = Integer.parseInt(c);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("column index " + c + " is far beyond any CSV's"
            + " columns: give indices counted from 0, or column names");
      }
    }
    return indices;
  }
}
