package dev.annonet.examples.data;

import dev.annonet.data.Csv;
import dev.annonet.data.Dataset;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The data sets bundled with the examples, read from the classpath (scikit-learn's copies,
 * BSD-3-Clause: see {@code LICENSES.txt} next to the files), and a text corpus ({@link
 * #fortunes()}).
 */
public final class ExampleData {

  private ExampleData() {}

  /**
   * 1797 handwritten digits, 8x8 pixels: 64 features scaled from 0..16 to [0, 1] and a class
   * index 0..9.
   */
  public static Dataset digits() {
    return read("digits.csv.gz", "digit", true).scaleFeatures(1f / 16);
  }

  /**
   * 442 diabetes patients: 10 raw, unscaled features (age, sex, bmi, bp, s1..s6) and the disease
   * progression one year later as the target; standardise before training.
   */
  public static Dataset diabetes() {
    return read("diabetes.csv", "progression", false);
  }

  /** Where {@link #fortunes()} reads its text, with its licence and README beside it. */
  static final String FORTUNES = "/dev/annonet/examples/text/fortunes.txt";

  /**
   * 98 KB of plain ASCII English text for a character-level language model: the fortunes,
   * riddles and literature quotations of BSD fortune(6), from Debian's package
   * {@code fortunes-min} (BSD licence, see {@code COPYRIGHT} and {@code README.md} in
   * {@code dev/annonet/examples/text/}). Each record ends with a line holding only {@code %}, so
   * sampled text can be cut into records at {@code "\n%\n"}.
   */
  public static String fortunes() {
    try (InputStream in = ExampleData.class.getResourceAsStream(FORTUNES)) {
      if (in == null) {
        throw new IllegalStateException(FORTUNES + " is missing from the classpath: rebuild the "
            + "examples module");
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + FORTUNES, e);
    }
  }

  private static Dataset read(String file, String target, boolean classification) {
    try (InputStream in = ExampleData.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException(file + " is missing from the classpath (expected in "
            + "dev/annonet/examples/data/): rebuild the examples module");
      }
      return classification
          ? Csv.classification(in, file, target)
          : Csv.regression(in, file, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
