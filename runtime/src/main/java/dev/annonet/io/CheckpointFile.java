package dev.annonet.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The file format of training checkpoints: safetensors (see {@link SafeTensors}) whose metadata
 * says {@code format} {@value #FORMAT} and holds, as its {@code crc32} entry, the CRC-32 of the
 * whole file with those eight digits read as zeros, so any change to any byte is detected.
 * {@link #write} is atomic: a temporary file beside the target, forced to disk, renamed over
 * it, so a crash at any moment leaves the previous checkpoint or the new one. {@link #read}
 * refuses a truncated, corrupted or foreign file with a message naming the file and the
 * problem. What the tensors and the metadata hold is the business of the trainer's {@code
 * Checkpoint}, which writes and reads this format.
 */
public final class CheckpointFile {
  /** The {@code format} metadata of a checkpoint. */
  public static final String FORMAT = "annonet-checkpoint";

  private static final String CRC_KEY = "\"crc32\":\"";

  private CheckpointFile() {}

  /**
   * Writes {@code tensors}, {@code ints} and {@code metadata} (after the {@code crc32} and
   * {@code format} entries, which this adds) to {@code path} atomically, replacing an older
   * file; temporary files left by a writer that was killed are removed first.
   */
  public static void write(Map<String, SafeTensors.Tensor> tensors,
      Map<String, SafeTensors.IntTensor> ints, Map<String, String> metadata, Path path)
      throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("crc32", "00000000");
    meta.put("format", FORMAT);
    meta.putAll(metadata);
    byte[] bytes = SafeTensors.encode(tensors, ints, meta);
    int at = crcPosition(bytes, "memory");
    String crc = String.format("%08x", crc(bytes));
    System.arraycopy(crc.getBytes(StandardCharsets.US_ASCII), 0, bytes, at, 8);
    removeStaleTemporaries(path);
    AtomicFile.write(bytes, path);
  }

  /**
   * Reads a checkpoint file, checking its length, header, format and checksum before anything
   * is parsed.
   *
   * @throws java.nio.file.NoSuchFileException if there is no file at {@code path}
   * @throws IOException if the file is unreadable, truncated, corrupted or not a checkpoint; the
   *     message names the file and the problem
   */
  public static SafeTensors.Contents read(Path path) throws IOException {
    byte[] bytes = Files.readAllBytes(path);
    String source = path.toString();
    verify(bytes, source);
    return SafeTensors.read(bytes, source);
  }

  /** Checks length, header and checksum before anything is parsed. */
  private static void verify(byte[] bytes, String source) throws IOException {
    if (bytes.length < 8) {
      throw new IOException(source + " is truncated or not a checkpoint: it is only "
          + bytes.length + " bytes long");
    }
    long headerSize = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    if (headerSize < 2 || 8 + headerSize > bytes.length) {
      throw new IOException(source + " is truncated or not a checkpoint: its header length field"
          + " says " + headerSize + " bytes, the file holds " + bytes.length);
    }
    String header = new String(bytes, 8, (int) headerSize, StandardCharsets.UTF_8);
    Object parsed;
    try {
      parsed = Json.parse(header.strip());
    } catch (IllegalArgumentException e) {
      throw new IOException(source + " is corrupted: its header is not valid JSON ("
          + e.getMessage() + ")", e);
    }
    if (!(parsed instanceof Map<?, ?> map)
        || !(map.get("__metadata__") instanceof Map<?, ?> meta)
        || !FORMAT.equals(meta.get("format"))) {
      throw new IOException(source + " is not an Annonet checkpoint"
          + (parsed instanceof Map<?, ?> m && m.get("__metadata__") instanceof Map<?, ?> md
              && "annonet".equals(md.get("format"))
              ? ": it is a model file written by ModelFile.save; load it with ModelFile.load"
              : " (its header does not say format " + FORMAT + ")"));
    }
    long needed = 0;
    for (Object spec : map.values()) {
      if (spec instanceof Map<?, ?> t && t.get("data_offsets") instanceof List<?> offsets
          && offsets.size() == 2 && offsets.get(1) instanceof Long end) {
        needed = Math.max(needed, end);
      }
    }
    long held = bytes.length - 8 - headerSize;
    if (needed > held) {
      throw new IOException(source + " is truncated: its tensors need " + needed + " bytes of"
          + " data but the file holds " + held + " (checkpoints are written atomically, so"
          + " something else cut this copy)");
    }
    String stored = storedChecksum(bytes, source);
    String actual = actualChecksum(bytes, source);
    if (!stored.equals(actual)) {
      throw new IOException(source + " is corrupted: its checksum is " + stored + " but its"
          + " contents sum to " + actual + "; restore it from a copy or delete it to start over");
    }
    if (needed != held) {
      throw new IOException(source + " is corrupted: it holds " + (held - needed)
          + " bytes after its last tensor");
    }
  }

  /** The eight checksum digits the header of the checkpoint {@code bytes} holds. */
  static String storedChecksum(byte[] bytes, String source) throws IOException {
    return new String(bytes, crcPosition(bytes, source), 8, StandardCharsets.US_ASCII);
  }

  /**
   * The checksum the checkpoint {@code bytes} should hold: the CRC-32 of the whole file with its
   * eight checksum digits read as zeros, as eight hex digits.
   */
  static String actualChecksum(byte[] bytes, String source) throws IOException {
    int at = crcPosition(bytes, source);
    byte[] zeroed = bytes.clone();
    Arrays.fill(zeroed, at, at + 8, (byte) '0');
    return String.format("%08x", crc(zeroed));
  }

  /** The offset of the eight checksum digits in {@code bytes}. */
  private static int crcPosition(byte[] bytes, String source) throws IOException {
    byte[] key = CRC_KEY.getBytes(StandardCharsets.US_ASCII);
    int headerEnd = (int) Math.min(bytes.length,
        8 + ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
    outer:
    for (int i = 8; i + key.length + 8 <= headerEnd; i++) {
      for (int k = 0; k < key.length; k++) {
        if (bytes[i + k] != key[k]) {
          continue outer;
        }
      }
      return i + key.length;
    }
    throw new IOException(source + " is not an Annonet checkpoint: no crc32 in its header");
  }

  private static long crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  private static void removeStaleTemporaries(Path path) throws IOException {
    Path target = path.toAbsolutePath();
    Path dir = target.getParent();
    if (!Files.isDirectory(dir)) {
      return;
    }
    String prefix = "." + target.getFileName();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, p -> {
      String name = p.getFileName().toString();
      return name.startsWith(prefix) && name.endsWith(".tmp");
    })) {
      for (Path stale : stream) {
        Files.deleteIfExists(stale);
      }
    }
  }
}
