package dev.annonet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.annonet.testing.SoftmaxModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file cut at every byte, with every header byte changed, or with hostile JSON values:
 * loading refuses it with an IOException naming the file and leaves the model as it was, or (for
 * a change that keeps it valid) loads it; never a raw runtime exception.
 */
class SafeTensorsDamageTest {

  private static SoftmaxModel model(long seed) {
    SoftmaxModel m = new SoftmaxModel(4, 3);
    m.initialize(seed);
    return m;
  }

  private static void loadOrRefuse(Path file, byte[] bytes, String what) throws IOException {
    Files.write(file, bytes);
    SoftmaxModel target = model(9);
    float[] before = target.parameters().clone();
    try {
      ModelFile.load(target, file);
    } catch (IOException e) {
      assertTrue(e.getMessage() != null && e.getMessage().startsWith(file.toString()),
          what + ": " + e.getMessage());
      assertArrayEquals(before, target.parameters(), what + ": a refused file changes nothing");
    } catch (RuntimeException | OutOfMemoryError e) {
      fail(what + ": " + e, e);
    }
  }

  @Test
  void everyCutAndEveryChangedHeaderByte(@TempDir Path dir) throws IOException {
    Path saved = dir.resolve("m.safetensors");
    ModelFile.save(model(1), saved);
    byte[] whole = Files.readAllBytes(saved);
    Path file = dir.resolve("damaged.safetensors");
    for (int cut = 0; cut < whole.length; cut++) {
      loadOrRefuse(file, Arrays.copyOf(whole, cut), "cut at " + cut);
    }
    long headerLength = 8 + (whole[0] & 0xFFL) + ((whole[1] & 0xFFL) << 8);
    for (int at = 0; at < headerLength; at++) {
      for (int value : new int[] {0x00, 0x22, 0x2C, 0x30, 0x39, 0x5B, 0x7D, 0xFF}) {
        byte[] changed = whole.clone();
        changed[at] = (byte) value;
        loadOrRefuse(file, changed, "byte " + at + " = " + value);
      }
    }
  }

  @Test
  void hostileJsonValues(@TempDir Path dir) throws IOException {
    Path saved = dir.resolve("m.safetensors");
    ModelFile.save(model(1), saved);
    byte[] whole = Files.readAllBytes(saved);
    int n = (int) ((whole[0] & 0xFFL) + ((whole[1] & 0xFFL) << 8));
    String header = new String(whole, 8, n, StandardCharsets.UTF_8);
    String[][] edits = {
        {"\"shape\":[3,4]", "\"shape\":[\"3\",4]"},
        {"\"shape\":[3,4]", "\"shape\":[3.5,4]"},
        {"\"shape\":[3,4]", "\"shape\":[2147483647,2147483647]"},
        {"\"shape\":[3,4]", "\"shape\":[-3,-4]"},
        {"\"shape\":[3,4]", "\"shape\":{}"},
        {"\"data_offsets\":[0,", "\"data_offsets\":[0.5,"},
        {"\"data_offsets\":[0,", "\"data_offsets\":[-48,"},
        {"\"dtype\":\"F32\"", "\"dtype\":32"},
        {"\"dtype\":\"F32\"", "\"dtype\":\"F64\""},
        {"\"format\":\"annonet\"", "\"format\":[1]"},
    };
    Path file = dir.resolve("hostile.safetensors");
    for (String[] edit : edits) {
      assertTrue(header.contains(edit[0]), edit[0] + " in " + header);
      String changed = header.replace(edit[0], edit[1]);
      byte[] json = changed.getBytes(StandardCharsets.UTF_8);
      byte[] bytes = new byte[8 + json.length + whole.length - 8 - n];
      long length = json.length;
      for (int b = 0; b < 8; b++) {
        bytes[b] = (byte) (length >>> (8 * b));
      }
      System.arraycopy(json, 0, bytes, 8, json.length);
      System.arraycopy(whole, 8 + n, bytes, 8 + json.length, whole.length - 8 - n);
      loadOrRefuse(file, bytes, edit[1]);
    }
  }
}
