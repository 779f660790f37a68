package dev.annonet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
