package dev.annonet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * A gzip CSV cut short at any byte, or with any byte of its compressed data changed, is refused
 * with a message naming the file and saying the file is damaged: never a raw exception, never
 * advice about quotes.
 */
class CsvGzipDamageTest {

  private static byte[] gzipCsv() throws IOException {
    StringBuilder csv = new StringBuilder("a,b,y\n");
    for (int i = 0; i < 200; i++) {
      csv.append(i).append(',').append(i * 0.5).append(',').append(i % 3).append('\n');
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(csv.toString().getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  @Test
  void everyTruncationIsReportedAsADamagedFile() throws IOException {
    byte[] whole = gzipCsv();
    assertEquals(200, Csv.regression(new ByteArrayInputStream(whole), "t.csv.gz", null).size());
    // From 2 bytes on (the gzip magic is still there), every cut is in the gzip header, the
    // compressed data or the trailer.
    for (int cut = 2; cut < whole.length; cut++) {
      String message = refusal(Arrays.copyOf(whole, cut), "cut at " + cut);
      assertTrue(message.startsWith("t.csv.gz"), message);
      assertTrue(message.contains("the file is truncated or corrupted"), "cut at " + cut + ": "
          + message);
    }
  }

  @Test
  void changedCompressedBytesNeverLeakARawException() throws IOException {
    byte[] whole = gzipCsv();
    int refused = 0;
    for (int at = 10; at < whole.length; at++) {
      byte[] changed = whole.clone();
      changed[at] ^= 0x5A;
      try {
        Csv.regression(new ByteArrayInputStream(changed), "t.csv.gz", null);
      } catch (IOException | IllegalArgumentException e) {
        refused++;
        assertTrue(e.getMessage() != null && e.getMessage().startsWith("t.csv.gz"),
            "byte " + at + ": " + e);
        assertFalse(e.getMessage().contains("check the quotes"), e.getMessage());
      }
    }
    assertTrue(refused > (whole.length - 10) / 2, "most changes are caught: " + refused);
  }

  private static String refusal(byte[] bytes, String what) {
    try {
      Csv.regression(new ByteArrayInputStream(bytes), "t.csv.gz", null);
    } catch (IOException | IllegalArgumentException e) {
      assertTrue(e.getMessage() != null, what + ": " + e);
      return e.getMessage();
    }
    return fail(what + ": read without an error");
  }
}
