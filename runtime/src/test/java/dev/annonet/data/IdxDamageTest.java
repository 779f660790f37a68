package dev.annonet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IDX files cut short at every byte, with every header byte changed, or with hostile counts,
 * plain and gzip: each is read or refused with an IOException naming the file, never a raw
 * EOFException, NegativeArraySizeException or OutOfMemoryError.
 */
class IdxDamageTest {

  private static byte[] images(int count, int rows, int columns) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x803);
    out.writeInt(count);
    out.writeInt(rows);
    out.writeInt(columns);
    for (int i = 0; i < count * rows * columns; i++) {
      out.write(i * 37);
    }
    return bytes.toByteArray();
  }

  private static byte[] labels(int count) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x801);
    out.writeInt(count);
    for (int i = 0; i < count; i++) {
      out.write(i % 10);
    }
    return bytes.toByteArray();
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(raw);
    }
    return bytes.toByteArray();
  }

  /** Reads through files, as users do, so that the gzip path is the real one. */
  private static String refusal(Path dir, byte[] img, byte[] lab, String what) throws IOException {
    Path i = Files.write(dir.resolve("img"), img);
    Path l = Files.write(dir.resolve("lab"), lab);
    try {
      Dataset d = Idx.read(i, l);
      return "read " + d.size();
    } catch (IOException e) {
      assertTrue(e.getMessage() != null && (e.getMessage().startsWith(i.toString())
          || e.getMessage().startsWith(l.toString())), what + ": " + e.getMessage());
      return e.getMessage();
    } catch (RuntimeException | OutOfMemoryError e) {
      return fail(what + ": " + e);
    }
  }

  @Test
  void everyCutIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
    byte[] img = images(3, 2, 2);
    byte[] lab = labels(3);
    for (boolean gz : new boolean[] {false, true}) {
      byte[] i = gz ? gzip(img) : img;
      byte[] l = gz ? gzip(lab) : lab;
      assertEquals("read 3", refusal(dir, i, l, "whole"));
      for (int cut = 0; cut < i.length; cut++) {
        String m = refusal(dir, Arrays.copyOf(i, cut), l, "images cut at " + cut);
        assertTrue(!m.startsWith("read"), "images cut at " + cut + " were read");
      }
      for (int cut = 0; cut < l.length; cut++) {
        String m = refusal(dir, i, Arrays.copyOf(l, cut), "labels cut at " + cut);
        assertTrue(!m.startsWith("read"), "labels cut at " + cut + " were read");
      }
    }
  }

  @Test
  void everyChangedHeaderByteIsReadOrRefusedNamingTheFile(@TempDir Path dir)
      throws IOException {
    byte[] img = images(3, 2, 2);
    byte[] lab = labels(3);
    for (int at = 0; at < 16; at++) {
      for (int value : new int[] {0x00, 0x7F, 0x80, 0xFF}) {
        byte[] changed = img.clone();
        changed[at] = (byte) value;
        refusal(dir, changed, lab, "byte " + at + " = " + value);
        refusal(dir, gzip(changed), gzip(lab), "gzip, byte " + at + " = " + value);
      }
    }
  }

  @Test
  void hostileCountsAreRefusedBeforeAllocating(@TempDir Path dir) throws IOException {
    byte[] lab = labels(3);
    assertTrue(refusal(dir, images(0, 2, 2), labels(0), "no images").endsWith(
        " holds no images; an IDX file holds at least one"));
    // Header only: claims two billion bytes of pixels, holds none.
    byte[] huge = Arrays.copyOf(images(1, 1, 1), 16);
    huge[4] = 0x00; huge[5] = 0x01; huge[6] = 0x00; huge[7] = 0x00;        // 65,536 images
    huge[8] = 0x00; huge[9] = 0x00; huge[10] = (byte) 0x80; huge[11] = 0;  // 32,768 rows
    huge[12] = 0; huge[13] = 0; huge[14] = 0; huge[15] = 1;                // 1 column
    ByteArrayOutputStream many = new ByteArrayOutputStream();
    DataOutputStream m = new DataOutputStream(many);
    m.writeInt(0x801);
    m.writeInt(65536);
    m.write(new byte[65536]);
    String message = refusal(dir, huge, many.toByteArray(), "huge");
    assertTrue(message.contains("too large") || message.contains("truncated"), message);
    byte[] negative = images(3, 2, 2);
    negative[8] = (byte) 0xFF;
    assertTrue(refusal(dir, negative, lab, "negative rows").contains("is corrupted: its header"
        + " gives the row count as"), "negative rows");
    ByteArrayInputStream empty = new ByteArrayInputStream(new byte[0]);
    IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
        () -> Idx.read(empty, "a", new ByteArrayInputStream(lab), "b"));
    assertEquals("a is truncated: it ends after 0 bytes, inside its header (at the magic"
        + " number)", e.getMessage());
  }
}
