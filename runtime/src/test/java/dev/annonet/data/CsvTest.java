package dev.annonet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {

  private static InputStream text(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static IllegalArgumentException failure(String csv, boolean labels) {
    return assertThrows(IllegalArgumentException.class, () -> {
      if (labels) {
        Csv.classification(text(csv), "t.csv", null);
      } else {
        Csv.regression(text(csv), "t.csv", null);
      }
    });
  }

  @Test
  void readsLastColumnAsTargetByDefault() throws IOException {
    Dataset d = Csv.regression(text("a,b,y\n1,2,3\n4.5,-6,7e1\n\n"), "t.csv", null);
    assertEquals(2, d.size());
    assertEquals(2, d.inputSize());
    assertArrayEquals(new float[] {1, 2, 4.5f, -6}, d.features());
    assertArrayEquals(new float[] {3, 70}, d.targets());
  }

  @Test
  void targetColumnByName() throws IOException {
    Dataset d = Csv.regression(text("a,y,b\n1,2,3\n4,5,6\n"), "t.csv", "y");
    assertArrayEquals(new float[] {1, 3, 4, 6}, d.features());
    assertArrayEquals(new float[] {2, 5}, d.targets());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Csv.regression(text("a,y,b\n1,2,3\n"), "t.csv", "z"));
    assertEquals("t.csv: no column named 'z'; the header has a, y, b", e.getMessage());
  }

  @Test
  void readsGzipFromPathAndClassifies(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("small.csv.gz");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write("p0,p1,digit\n0,16,3\n8,4,0\n".getBytes(StandardCharsets.UTF_8));
    }
    Files.write(file, bytes.toByteArray());
    Dataset d = Csv.classification(file);
    assertArrayEquals(new float[] {0, 16, 8, 4}, d.features());
    assertEquals(3, d.label(0));
    assertEquals(0, d.label(1));
  }

  @Test
  void readsTheSharedDiabetesFile() throws IOException {
    Path file = Path.of("../examples/src/main/resources/dev/annonet/examples/data/diabetes.csv");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(file));
    Dataset d = Csv.regression(file, "progression");
    assertEquals(442, d.size());
    assertEquals(10, d.inputSize());
    assertEquals(151, d.target(0, 0));
    assertEquals(59, d.feature(0, 0));
  }

  @Test
  void errorsNameLineAndColumn() {
    assertEquals("t.csv line 3, column 'b': 'x' is not a number; fields must be numbers "
        + "(encode categories as codes, fill or drop missing values)",
        failure("a,b,y\n1,2,3\n4,x,6\n", false).getMessage());
    assertEquals("t.csv line 2, column 'y': empty field; fields must be numbers "
        + "(encode categories as codes, fill or drop missing values)",
        failure("a,b,y\n1,2,\n", false).getMessage());
    assertEquals("t.csv line 4 has 2 fields but the header has 3: every line needs one value "
        + "per column", failure("a,b,y\n1,2,3\n1,2,3\n1,2\n", false).getMessage());
    assertEquals("t.csv line 2, column 'a': NaN is NaN: clean or drop it before training",
        failure("a,b,y\nNaN,2,3\n", false).getMessage());
    assertEquals("t.csv line 3, column 'y': 2.5 is not a class index; labels must be whole "
        + "numbers 0, 1, 2, ... (read it as regression instead?)",
        failure("a,b,y\n1,2,3\n1,2,2.5\n", true).getMessage());
    assertEquals("t.csv line 2, column 'y': -1 is not a class index; labels must be whole "
        + "numbers 0, 1, 2, ... (read it as regression instead?)",
        failure("a,b,y\n1,2,-1\n", true).getMessage());
    assertEquals("t.csv has a header but no data rows", failure("a,b,y\n", false).getMessage());
    assertEquals("t.csv line 1: no header row; the first line must name the columns, e.g. "
        + "'age,bmi,progression'", failure("", false).getMessage());
  }

  @Test
  void errorsForInfiniteValuesAndLongRows() {
    assertEquals("t.csv line 2, column 'b': 1e39 is infinite or too large for a float: clean or "
        + "drop it before training", failure("a,b,y\n1,1e39,3\n", false).getMessage());
    assertEquals("t.csv line 3, column 'a': -Infinity is infinite or too large for a float: "
        + "clean or drop it before training",
        failure("a,b,y\n1,2,3\n-Infinity,2,3\n", false).getMessage());
    assertEquals("t.csv line 2 has 4 fields but the header has 3: every line needs one value "
        + "per column", failure("a,b,y\n1,2,3,4\n", false).getMessage());
  }

  @Test
  void lineNumbersCountBlankLinesAndQuotedLineBreaks() {
    // Lines 3 and 6 are blank and the record of lines 4-5 holds a quoted line break: the bad
    // record is the file's line 7 (and its fourth record).
    assertEquals("t.csv line 7, column 'b': 'x' is not a number; fields must be numbers "
        + "(encode categories as codes, fill or drop missing values)",
        failure("a,b,y\n1,2,3\n\n\"4\n\",5,6\n\n7,x,9\n", false).getMessage());
  }

  @Test
  void quotesEscapesCrlfAndByteOrderMark() throws IOException {
    String csv = "\uFEFF\"first, name\",\"say \"\"hi\"\"\", y\r\n"
        + " \"1.5\" , 2 ,\"3\"\r\n"
        + "4,5,6";   // no line break after the last record
    Dataset d = Csv.reader().features("say \"hi\"", "first, name").targets("y")
        .read(text(csv), "t.csv");
    assertArrayEquals(new float[] {2, 1.5f, 5, 4}, d.features());
    assertArrayEquals(new float[] {3, 6}, d.targets());
  }

  @Test
  void malformedQuotingNamesTheLine() {
    IllegalArgumentException e = failure("a,b,y\n1,2,3\n\"4,5,6\n", false);
    assertTrue(e.getMessage().startsWith("t.csv line 3: cannot be parsed as CSV ("),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("check the quotes: a quoted field ends with '\"', and a "
        + "quote inside it is written twice"), e.getMessage());
  }

  @Test
  void chosenColumnsByNameInTheirOrderAndOtherColumnsIgnored() throws IOException {
    // 'id' holds text: it is neither a feature nor a target, so it is never parsed.
    String csv = "id,a,b,c,y1,y2\nx17,1,2,3,4,5\nx18,6,7,8,9,10\n";
    Dataset d = Csv.reader().features("c", "a").targets("y2", "y1").read(text(csv), "t.csv");
    assertEquals(2, d.inputSize());
    assertEquals(2, d.targetSize());
    assertArrayEquals(new float[] {3, 1, 8, 6}, d.features());
    assertArrayEquals(new float[] {5, 4, 10, 9}, d.targets());
  }

  @Test
  void chosenColumnsByIndexWithAndWithoutHeader() throws IOException {
    Dataset d = Csv.reader().targets(0).classification()
        .read(text("label,p0,p1\n2,0.5,0.25\n0,1,2\n"), "t.csv");
    assertArrayEquals(new float[] {0.5f, 0.25f, 1, 2}, d.features());
    assertEquals(2, d.label(0));
    assertEquals(0, d.label(1));

    Dataset n = Csv.reader().noHeader().features(2, 1).targets(0)
        .read(text("1,2,3\n4,5,6\n"), "t.csv");
    assertEquals(2, n.size());
    assertArrayEquals(new float[] {3, 2, 6, 5}, n.features());
    assertArrayEquals(new float[] {1, 4}, n.targets());

    // Without a header the first line is data; the default target is still the last column.
    Dataset last = Csv.reader().noHeader().read(text("1,2,3\n"), "t.csv");
    assertArrayEquals(new float[] {1, 2}, last.features());
    assertArrayEquals(new float[] {3}, last.targets());
  }

  @Test
  void columnChoiceErrors() {
    String csv = "a,b,y\n1,2,3\n";
    assertEquals("t.csv: target column index 3 is out of range: the file has 3 columns, 0 to 2",
        chooseFailure(csv, Csv.reader().targets(3)));
    assertEquals("t.csv: column 'a' is chosen both as a feature and as a target: a column can "
        + "be only one of them", chooseFailure(csv, Csv.reader().features("a", "b").targets(0)));
    assertEquals("t.csv: column 'b' is chosen twice as a feature: name each column once",
        chooseFailure(csv, Csv.reader().features("b", "b")));
    assertEquals("t.csv: no column named 'z'; the header has a, b, y",
        chooseFailure(csv, Csv.reader().features("z")));
    assertEquals("t.csv line 1: the header names columns 0 and 1 both 'a': rename one, or "
        + "choose by index", chooseFailure("a,a,y\n1,2,3\n", Csv.reader().features("a")));
    assertEquals("t.csv: target column 'y' is chosen by name, but the file has no header row: "
        + "choose columns by index", chooseFailure("1,2,3\n", Csv.reader().noHeader()
            .targets("y")));
    assertEquals("t.csv: classification takes one column of class indices, but 2 target "
        + "columns were chosen: choose one, or read the columns as regression targets",
        chooseFailure(csv, Csv.reader().targets("b", "y").classification()));
    assertEquals("t.csv line 1: the header has 1 column, all of them targets; a dataset needs "
        + "at least one feature column and a target column", chooseFailure("y\n1\n",
            Csv.reader()));
    assertEquals("t.csv line 3 has 2 fields but the first line has 3: every line needs one "
        + "value per column", chooseFailure("1,2,3\n4,5,6\n7,8\n", Csv.reader().noHeader()));
    assertEquals("t.csv line 2, column 1 (counting from 0): 'x' is not a number; fields must be "
        + "numbers (encode categories as codes, fill or drop missing values)",
        chooseFailure("1,2,3\n4,x,6\n", Csv.reader().noHeader()));
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> Csv.reader().features(-1));
    assertEquals("features column index -1 is negative: columns are counted from 0",
        negative.getMessage());
  }

  private static String chooseFailure(String csv, Csv reader) {
    return assertThrows(IllegalArgumentException.class, () -> reader.read(text(csv), "t.csv"))
        .getMessage();
  }

  @Test
  void readsGzipFromStream() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write("a,y\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8));
    }
    Dataset d = Csv.regression(new ByteArrayInputStream(bytes.toByteArray()), "t.csv.gz", "y");
    assertArrayEquals(new float[] {1, 3}, d.features());
    assertArrayEquals(new float[] {2, 4}, d.targets());
  }
}
