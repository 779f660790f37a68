package dev.annonet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A plain CSV cut at any byte, or with any byte set to a quote, a separator, a line break, a
 * letter, a NUL or a byte that is not UTF-8, either reads or is refused with a message that names
 * the file: never a raw exception, never a message without a file.
 */
class CsvDamageTest {
  private static final byte[] VALUES = {'"', ',', '\n', '\r', 'x', '-', '.', 'e', 0, (byte) 0xFF};

  private static byte[] csv() {
    StringBuilder s = new StringBuilder("a,\"b c\",y\n");
    for (int i = 0; i < 40; i++) {
      s.append(i - 20).append(',').append(i * 0.25).append("e-1,").append(i % 3).append('\n');
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyCutReadsOrIsRefusedNamingTheFile() throws IOException {
    byte[] whole = csv();
    assertEquals(40, Csv.regression(new ByteArrayInputStream(whole), "t.csv", null).size());
    int refused = 0;
    for (int cut = 0; cut < whole.length; cut++) {
      refused += outcome(Arrays.copyOf(whole, cut), "cut at " + cut);
    }
    assertTrue(refused > 0, "a cut inside the header or first row is refused");
  }

  @Test
  void everyChangedByteReadsOrIsRefusedNamingTheFile() {
    byte[] whole = csv();
    int refused = 0;
    for (int at = 0; at < whole.length; at++) {
      for (byte value : VALUES) {
        byte[] changed = whole.clone();
        changed[at] = value;
        refused += outcome(changed, "byte " + at + " set to " + value);
      }
    }
    assertTrue(refused > whole.length, "most changes are refused: " + refused);
  }

  /** 0 if the bytes read, 1 if refused with a message naming the file; fails otherwise. */
  private static int outcome(byte[] bytes, String what) {
    try {
      Csv.regression(new ByteArrayInputStream(bytes), "t.csv", null);
      return 0;
    } catch (IOException | RuntimeException e) {
      assertTrue(e instanceof IOException || e instanceof IllegalArgumentException,
          what + ": " + e);
      assertTrue(e.getMessage() != null && e.getMessage().startsWith("t.csv"), what + ": " + e);
      return 1;
    }
  }
}
