package dev.annonet.cli;

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
    return columns.stream().mapToInt(Integer::parseInt).toArray();
  }
}
