package dev.annonet.data;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.zip.ZipException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads numeric comma-separated files (RFC 4180, optionally gzip-compressed) into a
 * {@link Dataset}. The static methods read a file with a header row, the last column (or the
 * named one) as the target and every other column as a feature; {@link #reader()} chooses the
 * feature and target columns by name or index, several targets, or a file without a header:
 *
 * <pre>{@code
 * Dataset d = Csv.reader().features("age", "bmi", "bp").targets("progression").read(path);
 * Dataset e = Csv.reader().noHeader().targets(0).classification().read(path);
 * }</pre>
 *
 * <p>Parsing is Apache Commons CSV's: quoted fields, doubled quotes inside them, quoted line
 * breaks, CRLF or LF, spaces around fields. A byte-order mark is skipped; blank lines are
 * ignored; a file starting with the gzip magic bytes is decompressed whatever its name. Columns
 * that are neither features nor targets are not read, so they may hold text such as ids.
 *
 * <p>Errors name the source, the 1-based line number and the column, e.g. {@code digits.csv
 * line 17, column 'p3': 'x' is not a number}; files with no header name columns by their
 * 0-based index.
 */
public final class Csv {

  private static final CSVFormat FORMAT =
      CSVFormat.RFC4180.builder()
          .setIgnoreEmptyLines(false) // kept, so that line numbers in errors stay exact
          .setIgnoreSurroundingSpaces(true)
          .setTrim(true)
          .get();

  private boolean header = true;
  private boolean labels;
  private Object[] features; // String names or Integer indices; null: every non-target column
  private Object[] targets; // null: the last column

  private Csv() {}

  /** A regression data set from {@code path}, the last column as the target. */
  public static Dataset regression(Path path) throws IOException {
    return regression(path, null);
  }

  /** A regression data set from {@code path} with target column {@code target} (null: last). */
  public static Dataset regression(Path path, String target) throws IOException {
    return reader().targetOrLast(target).read(path);
  }

  /** A regression data set from {@code in} (not closed); {@code source} names it in errors. */
  public static Dataset regression(InputStream in, String source, String target)
      throws IOException {
    return reader().targetOrLast(target).read(in, source);
  }

  /** A classification data set from {@code path}, the last column holding class indices. */
  public static Dataset classification(Path path) throws IOException {
    return classification(path, null);
  }

  /** A classification data set from {@code path}, labels in column {@code target} (null: last). */
  public static Dataset classification(Path path, String target) throws IOException {
    return reader().targetOrLast(target).classification().read(path);
  }

  /** A classification data set from {@code in} (not closed); {@code source} names it in errors. */
  public static Dataset classification(InputStream in, String source, String target)
      throws IOException {
    return reader().targetOrLast(target).classification().read(in, source);
  }

  /**
   * A reader to configure: by default the file has a header row, the last column is the one
   * regression target and every other column is a feature.
   */
  public static Csv reader() {
    return new Csv();
  }

  /** The file has no header row: its first line is data, and columns are chosen by index. */
  public Csv noHeader() {
    header = false;
    return this;
  }

  /** Feature columns by header name, in this order (default: every column not a target). */
  public Csv features(String... names) {
    features = names(names, "features");
    return this;
  }

  /** Feature columns by 0-based index, in this order (default: every column not a target). */
  public Csv features(int... indices) {
    features = indices(indices, "features");
    return this;
  }

  /** Target columns by header name, in this order (default: the last column). */
  public Csv targets(String... names) {
    targets = names(names, "targets");
    return this;
  }

  /** Target columns by 0-based index, in this order (default: the last column). */
  public Csv targets(int... indices) {
    targets = indices(indices, "targets");
    return this;
  }

  /**
   * The target is one column of class indices 0, 1, 2, ... (whole numbers, checked), for
   * {@code @SoftmaxCrossEntropy} or {@code @BinaryCrossEntropy} networks.
   */
  public Csv classification() {
    labels = true;
    return this;
  }

  /** Reads {@code path} (plain or gzip); its file name names it in errors. */
  public Dataset read(Path path) throws IOException {
    Path name = path.getFileName();
    try (InputStream in = Files.newInputStream(path)) {
      return read(in, name == null ? path.toString() : name.toString());
    }
  }

  /** Reads {@code in} (plain or gzip; not closed); {@code source} names it in errors. */
  public Dataset read(InputStream in, String source) throws IOException {
    if (labels && targets != null && targets.length != 1) {
      throw new IllegalArgumentException(source + ": classification takes one column of class "
          + "indices, but " + targets.length + " target columns were chosen: choose one, or "
          + "read the columns as regression targets");
    }
    try {
      BufferedReader text = new BufferedReader(
          new InputStreamReader(Gzip.open(in, source), StandardCharsets.UTF_8));
      skipByteOrderMark(text);
      // The parser is not closed: closing it would close the caller's stream.
      @SuppressWarnings("resource")
      CSVParser parser = FORMAT.parse(text);
      return new Rows(parser, source).read();
    } catch (EOFException | ZipException e) {
      // The gzip header, or data read before the first record, breaks off or is damaged.
      throw new IOException(Gzip.damaged(source, e), e);
    }
  }

  private Csv targetOrLast(String target) {
    if (target != null) {
      targets(target);
    }
    return this;
  }

  private static Object[] names(String[] names, String what) {
    if (names == null || names.length == 0) {
      throw new IllegalArgumentException("no " + what + " given: name one column or more");
    }
    for (String n : names) {
      if (n == null) {
        throw new IllegalArgumentException(what + " holds a null column name");
      }
    }
    return names.clone();
  }

  private static Object[] indices(int[] indices, String what) {
    if (indices == null || indices.length == 0) {
      throw new IllegalArgumentException("no " + what + " given: give one column index or more");
    }
    Object[] boxed = new Object[indices.length];
    for (int i = 0; i < indices.length; i++) {
      if (indices[i] < 0) {
        throw new IllegalArgumentException(what + " column index " + indices[i]
            + " is negative: columns are counted from 0");
      }
      boxed[i] = indices[i];
    }
    return boxed;
  }

  /** One pass over the records: header, column choice, then the values. */
  private final class Rows {
    private final Iterator<CSVRecord> records;
    private final CSVParser parser;
    private final String source;
    private String[] names; // header names, or null without a header
    private int width;
    private int[] featureColumns;
    private int[] targetColumns;
    private long line; // 1-based line where the current record starts

    Rows(CSVParser parser, String source) {
      this.parser = parser;
      this.records = parser.iterator();
      this.source = source;
    }

    Dataset read() {
      CSVRecord first = next();
      if (first == null) {
        throw new IllegalArgumentException(source + " line 1: "
            + (header ? "no header row; the first line must name the columns, e.g. "
                + "'age,bmi,progression'" : "no data rows"));
      }
      width = first.size();
      if (header) {
        names = first.values();
      }
      chooseColumns();
      FloatList x = new FloatList();
      FloatList y = new FloatList();
      for (CSVRecord r = header ? next() : first; r != null; r = next()) {
        if (r.size() != width) {
          throw new IllegalArgumentException(source + " line " + line + " has " + r.size()
              + " fields but " + (header ? "the header has " : "the first line has ") + width
              + ": every line needs one value per column");
        }
        for (int c : featureColumns) {
          x.add(parse(r.get(c), c));
        }
        for (int c : targetColumns) {
          float v = parse(r.get(c), c);
          if (labels && (v < 0 || v != Math.rint(v))) {
            throw new IllegalArgumentException(where(c) + ": " + r.get(c) + " is not a class "
                + "index; labels must be whole numbers 0, 1, 2, ... (read it as regression "
                + "instead?)");
          }
          y.add(v);
        }
      }
      if (y.size() == 0) {
        throw new IllegalArgumentException(source + " has a header but no data rows");
      }
      return Dataset.checked(x.toArray(), featureColumns.length, y.toArray(),
          targetColumns.length);
    }

    /** The next record that is not a blank line, or null at the end; sets {@link #line}. */
    private CSVRecord next() {
      try {
        while (true) {
          line = parser.getCurrentLineNumber() + 1;
          if (!records.hasNext()) {
            return null;
          }
          CSVRecord r = records.next();
          if (r.size() != 1 || !r.get(0).isEmpty()) {
            return r;
          }
        }
      } catch (UncheckedIOException | IllegalStateException e) {
        // Commons CSV reports malformed quoting (and read errors) this way.
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (Gzip.isDamage(cause)) {
          throw new IllegalArgumentException(Gzip.damaged(source + " line " + line, cause), e);
        }
        throw new IllegalArgumentException(source + " line " + line + ": cannot be parsed as CSV ("
            + cause.getMessage() + "); check the quotes: a quoted field ends with '\"', and a "
            + "quote inside it is written twice", e);
      }
    }

    private void chooseColumns() {
      int lastColumn = width - 1;
      targetColumns = targets == null ? new int[] {lastColumn} : resolve(targets, "target");
      if (features != null) {
        featureColumns = resolve(features, "feature");
      } else {
        List<Integer> rest = new ArrayList<>();
        for (int c = 0; c < width; c++) {
          if (!contains(targetColumns, c)) {
            rest.add(c);
          }
        }
        featureColumns = rest.stream().mapToInt(Integer::intValue).toArray();
      }
      if (featureColumns.length == 0) {
        throw new IllegalArgumentException(source + " line 1: " + (header ? "the header" : "the "
            + "first line") + " has " + width + " column" + (width == 1 ? "" : "s") + ", all of "
            + "them targets; a dataset needs at least one feature column and a target column");
      }
      for (int c : featureColumns) {
        if (contains(targetColumns, c)) {
          throw new IllegalArgumentException(source + ": " + column(c) + " is chosen both as a "
              + "feature and as a target: a column can be only one of them");
        }
      }
    }

    private int[] resolve(Object[] chosen, String what) {
      int[] columns = new int[chosen.length];
      for (int i = 0; i < chosen.length; i++) {
        columns[i] = resolve(chosen[i], what);
        for (int j = 0; j < i; j++) {
          if (columns[j] == columns[i]) {
            throw new IllegalArgumentException(source + ": " + column(columns[i])
                + " is chosen twice as a " + what + ": name each column once");
          }
        }
      }
      return columns;
    }

    private int resolve(Object choice, String what) {
      if (choice instanceof Integer index) {
        if (index >= width) {
          throw new IllegalArgumentException(source + ": " + what + " column index " + index
              + " is out of range: the file has " + width + " columns, 0 to " + (width - 1));
        }
        return index;
      }
      String name = (String) choice;
      if (names == null) {
        throw new IllegalArgumentException(source + ": " + what + " column '" + name
            + "' is chosen by name, but the file has no header row: choose columns by index");
      }
      int found = -1;
      for (int c = 0; c < names.length; c++) {
        if (names[c].equals(name)) {
          if (found >= 0) {
            throw new IllegalArgumentException(source + " line 1: the header names columns "
                + found + " and " + c + " both '" + name + "': rename one, or choose by index");
          }
          found = c;
        }
      }
      if (found < 0) {
        throw new IllegalArgumentException(source + ": no column named '" + name
            + "'; the header has " + String.join(", ", names));
      }
      return found;
    }

    private float parse(String text, int c) {
      Float special = nonFinite(text);
      if (special == null && !isDecimal(text)) {
        throw new IllegalArgumentException(where(c) + ": "
            + (text.isEmpty() ? "empty field" : "'" + text + "' is not a number")
            + "; fields must be numbers (encode categories as codes, fill or drop missing "
            + "values)");
      }
      float v = special != null ? special : Float.parseFloat(text);
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(where(c) + ": " + text + " is "
            + (Float.isNaN(v) ? "NaN" : "infinite or too large for a float")
            + ": clean or drop it before training");
      }
      return v;
    }

    private String where(int c) {
      return source + " line " + line + ", " + column(c);
    }

    private String column(int c) {
      return names == null ? "column " + c + " (counting from 0)" : "column '" + names[c] + "'";
    }
  }

  /**
   * Whether {@code s} is a decimal number as a CSV file writes one: an optional sign, digits
   * with an optional decimal point (at least one digit on either side), and an optional
   * exponent ({@code 1e-3}, {@code 2.5E+4}). Java's own literal forms, which
   * {@link Float#parseFloat} also takes ({@code 2f}, {@code 4d}, {@code 0x1p3}), are not numbers
   * in a CSV file.
   */
  static boolean isDecimal(String s) {
    int n = s.length();
    int i = 0;
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    int digits = 0;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int exponent = 0;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        exponent++;
      }
      if (exponent == 0) {
        return false;
      }
    }
    return i == n;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * NaN or an infinity as spreadsheets, NumPy and Java write them ({@code nan}, {@code -inf},
   * {@code Infinity}), so that they are refused with their own message; null for anything else.
   */
  private static Float nonFinite(String s) {
    boolean negative = s.startsWith("-");
    String t = negative || s.startsWith("+") ? s.substring(1) : s;
    if (t.equalsIgnoreCase("nan")) {
      return Float.NaN;
    }
    if (t.equalsIgnoreCase("inf") || t.equalsIgnoreCase("infinity")) {
      return negative ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
    }
    return null;
  }

  private static boolean contains(int[] values, int v) {
    for (int x : values) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  /** Skips a UTF-8 byte-order mark, which some spreadsheets write before the header. */
  private static void skipByteOrderMark(BufferedReader text) throws IOException {
    text.mark(1);
    if (text.read() != '\uFEFF') {
      text.reset();
    }
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
