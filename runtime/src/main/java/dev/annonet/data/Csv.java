package dev.annonet.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads numeric comma-separated files with a header row (optionally gzip-compressed) into a
 * {@link Dataset}, one column chosen as the target.
 *
 * <p>Errors name the source, the 1-based line number and the column, e.g. {@code digits.csv
 * line 17, column 'p3': 'x' is not a number}.
 */
public final class Csv {

  private Csv() {}

  /** A regression data set from {@code path}, the last column as the target. */
  public static Dataset regression(Path path) throws IOException {
    return regression(path, null);
  }

  /** A regression data set from {@code path} with target column {@code target} (null: last). */
  public static Dataset regression(Path path, String target) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return read(in, fileName(path), target, false);
    }
  }

  /** A regression data set from {@code in} (not closed); {@code source} names it in errors. */
  public static Dataset regression(InputStream in, String source, String target)
      throws IOException {
    return read(in, source, target, false);
  }

  /** A classification data set from {@code path}, the last column holding class indices. */
  public static Dataset classification(Path path) throws IOException {
    return classification(path, null);
  }

  /** A classification data set from {@code path}, labels in column {@code target} (null: last). */
  public static Dataset classification(Path path, String target) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return read(in, fileName(path), target, true);
    }
  }

  /** A classification data set from {@code in} (not closed); {@code source} names it in errors. */
  public static Dataset classification(InputStream in, String source, String target)
      throws IOException {
    return read(in, source, target, true);
  }

  private static String fileName(Path path) {
    Path name = path.getFileName();
    return name == null ? path.toString() : name.toString();
  }

  private static Dataset read(InputStream raw, String source, String target, boolean labels)
      throws IOException {
    BufferedReader reader = new BufferedReader(
        new InputStreamReader(maybeGunzip(raw), StandardCharsets.UTF_8));
    String headerLine = reader.readLine();
    if (headerLine == null || headerLine.isBlank()) {
      throw new IllegalArgumentException(source + " line 1: no header row; the first line must "
          + "name the columns, e.g. 'age,bmi,progression'");
    }
    if (headerLine.startsWith("\uFEFF")) {
      headerLine = headerLine.substring(1); // a byte-order mark written by some spreadsheets
    }
    String[] header = split(headerLine);
    for (int c = 0; c < header.length; c++) {
      header[c] = unquote(header[c].trim());
    }
    if (header.length < 2) {
      throw new IllegalArgumentException(source + " line 1: the header has " + header.length
          + " column; a dataset needs at least one feature column and a target column");
    }
    int targetColumn = header.length - 1;
    if (target != null) {
      targetColumn = Arrays.asList(header).indexOf(target);
      if (targetColumn < 0) {
        throw new IllegalArgumentException(source + ": no column named '" + target
            + "'; the header has " + String.join(", ", header));
      }
    }
    int inputs = header.length - 1;
    FloatList x = new FloatList();
    FloatList y = new FloatList();
    int lineNumber = 1;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lineNumber++;
      if (line.isBlank()) {
        continue; // trailing or separating blank lines carry no sample
      }
      String[] fields = split(line);
      if (fields.length != header.length) {
        throw new IllegalArgumentException(source + " line " + lineNumber + " has "
            + fields.length + " fields but the header has " + header.length
            + ": every line needs one value per column");
      }
      for (int c = 0; c < fields.length; c++) {
        float v = parse(fields[c], source, lineNumber, header[c]);
        if (c != targetColumn) {
          x.add(v);
          continue;
        }
        if (labels && (v < 0 || v != Math.rint(v))) {
          throw new IllegalArgumentException(source + " line " + lineNumber + ", column '"
              + header[c] + "': " + fields[c].trim() + " is not a class index; labels must be "
              + "whole numbers 0, 1, 2, ... (read it as regression instead?)");
        }
        y.add(v);
      }
    }
    if (y.size() == 0) {
      throw new IllegalArgumentException(source + " has a header but no data rows");
    }
    return Dataset.checked(x.toArray(), inputs, y.toArray(), 1);
  }

  private static float parse(String field, String source, int line, String column) {
    String text = field.trim();
    float v;
    try {
      v = Float.parseFloat(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(source + " line " + line + ", column '" + column + "': "
          + (text.isEmpty() ? "empty field" : "'" + text + "' is not a number")
          + "; fields must be numbers (encode categories as codes, fill or drop missing values)");
    }
    if (!Float.isFinite(v)) {
      throw new IllegalArgumentException(source + " line " + line + ", column '" + column + "': "
          + text + " is " + (Float.isNaN(v) ? "NaN" : "infinite or too large for a float")
          + ": clean or drop it before training");
    }
    return v;
  }

  /** Splits on commas without a regular expression (no quoting: our files are numeric). */
  private static String[] split(String line) {
    List<String> fields = new ArrayList<>();
    int start = 0;
    for (int i = line.indexOf(','); i >= 0; i = line.indexOf(',', start)) {
      fields.add(line.substring(start, i));
      start = i + 1;
    }
    fields.add(line.substring(start));
    return fields.toArray(new String[0]);
  }

  private static String unquote(String name) {
    return name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")
        ? name.substring(1, name.length() - 1)
        : name;
  }

  /** Decompresses when the stream starts with the gzip magic bytes, whatever the file name. */
  private static InputStream maybeGunzip(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in) : in;
  }

  /** A growable float array, so that large files are not held as boxed Floats. */
  private static final class FloatList {
    private float[] values = new float[1024];
    private int size;

    void add(float v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    int size() {
      return size;
    }

    float[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
