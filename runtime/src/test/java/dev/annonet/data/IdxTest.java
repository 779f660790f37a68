package dev.annonet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.testing.SharedData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files written here, plain and gzip, and malformed ones. */
class IdxTest {

  private static byte[] images(int count, int rows, int cols) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(2051);
    out.writeInt(count);
    out.writeInt(rows);
    out.writeInt(cols);
    for (int i = 0; i < count * rows * cols; i++) {
      out.writeByte((i * 37) % 256);
    }
    return bytes.toByteArray();
  }

  private static byte[] labels(int count) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(2049);
    out.writeInt(count);
    for (int i = 0; i < count; i++) {
      out.writeByte(i % 10);
    }
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(raw);
    }
    return bytes.toByteArray();
  }

  @Test
  void readsPixelsScaledAndLabels(@TempDir Path dir) throws IOException {
    Path img = dir.resolve("img.gz");
    Path lab = dir.resolve("lab");
    Files.write(img, gzip(images(3, 2, 4)));
    Files.write(lab, labels(3));
    Dataset data = Idx.read(img, lab);
    assertEquals(3, data.size());
    assertEquals(8, data.inputSize());
    assertEquals((9 * 37 % 256) / 255f, data.feature(1, 1));
    assertEquals(2f, data.target(2, 0));
  }

  @Test
  void rejectsWrongMagicAndCountMismatchAndTruncation() throws IOException {
    IOException magic =
        assertThrows(
            IOException.class,
            () -> Idx.read(
                new ByteArrayInputStream(labels(3)), "a", new ByteArrayInputStream(labels(3)), "b"));
    assertTrue(magic.getMessage().startsWith("a does not start with the IDX images magic number"));
    IOException count =
        assertThrows(
            IOException.class,
            () -> Idx.read(
                new ByteArrayInputStream(images(3, 2, 2)), "a",
                new ByteArrayInputStream(labels(4)), "b"));
    assertEquals(
        "a holds 3 images but b holds 4 labels: pass the label file that belongs to these images",
        count.getMessage());
    byte[] cut = java.util.Arrays.copyOf(images(3, 2, 2), 20);
    IOException truncated =
        assertThrows(
            IOException.class,
            () -> Idx.read(
                new ByteArrayInputStream(cut), "a", new ByteArrayInputStream(labels(3)), "b"));
    assertEquals("a is truncated: expected 12 bytes of data", truncated.getMessage());
  }

  @Test
  void readsTheSharedMnistTestSplit() throws IOException {
    Path dir = SharedData.folder("mnist", "MNIST's IDX files");
    Dataset test =
        Idx.read(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"));
    assertEquals(10000, test.size());
    assertEquals(784, test.inputSize());
  }
}
