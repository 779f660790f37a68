package dev.annonet.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a model file or a checkpoint holds, read without the network's class: what kind of file
 * it is, the network it was saved from, its metadata, its table of tensors and whether its
 * checksum matches its contents. A file whose checksum does not match is described, not
 * refused, so that a tool can show what is in it; {@link ModelFile#load} and
 * {@link CheckpointFile#read} refuse it.
 *
 * <pre>{@code
 * FileInfo info = FileInfo.read(Path.of("digits.safetensors"));
 * info.kind();                 // MODEL
 * info.network();              // Optional[Digits]
 * info.checksum().state();     // VERIFIED
 * }</pre>
 *
 * @param source the file, as given to {@link #read}
 * @param bytes the file's length in bytes
 * @param kind what wrote the file
 * @param metadata the header's {@code __metadata__} strings in file order; empty if none
 * @param tensors every tensor of the header in file order, float and integer ones
 * @param checksum the checksum the file holds and the one its contents give
 */
public record FileInfo(String source, long bytes, Kind kind, Map<String, String> metadata,
    List<TensorInfo> tensors, Checksum checksum) {

  // The collections are copied, so that a FileInfo cannot change.
  public FileInfo {
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    tensors = List.copyOf(tensors);
  }

  /** What wrote a safetensors file. */
  public enum Kind {
    /** {@link ModelFile#save}: a model's parameters and state buffers. */
    MODEL("Annonet model file"),
    /** {@link CheckpointFile}: a training run's whole state. */
    CHECKPOINT("Annonet training checkpoint"),
    /** Another writer, such as {@code safetensors.torch}: no Annonet metadata. */
    SAFETENSORS("safetensors file not written by Annonet");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    /** The kind in words, e.g. {@code Annonet model file}. */
    public String description() {
      return description;
    }
  }

  /**
   * One entry of the header's tensor table.
   *
   * @param name the tensor's name, e.g. {@code hidden.weight}
   * @param dtype its element type as the file names it: {@code F32}, {@code F64}, {@code F16},
   *     {@code BF16} or {@code I32}
   * @param shape its dimensions
   */
  public record TensorInfo(String name, String dtype, int[] shape) {

    // The shape is copied in and out, so that a TensorInfo cannot change.
    public TensorInfo {
      shape = shape.clone();
    }

    /** A copy of the dimensions. */
    @Override
    public int[] shape() {
      return shape.clone();
    }

    /** Number of elements, the product of the dimensions (1 for a scalar). */
    public long elements() {
      long n = 1;
      for (int d : shape) {
        n *= d;
      }
      return n;
    }

    /** The shape written as {@code [128, 64]}. */
    public String shapeString() {
      return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TensorInfo t && name.equals(t.name) && dtype.equals(t.dtype)
          && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * name.hashCode() + dtype.hashCode()) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
      return name + " " + dtype + " " + shapeString();
    }
  }

  /** Whether a file's checksum matches its contents. */
  public enum ChecksumState {
    /** The stored checksum is the one the contents give. */
    VERIFIED,
    /** The stored checksum differs from the one the contents give: the file was changed. */
    MISMATCH,
    /** The file holds no checksum (a file not written by Annonet). */
    ABSENT
  }

  /**
   * A file's checksum: for a model file, the CRC-32 of its float32 tensor data; for a
   * checkpoint, the CRC-32 of the whole file with the checksum's eight digits read as zeros.
   *
   * @param state whether they match
   * @param stored the checksum the header holds, or null if {@link ChecksumState#ABSENT}
   * @param computed the checksum of the contents, or null if {@link ChecksumState#ABSENT}
   */
  public record Checksum(ChecksumState state, String stored, String computed) {

    /**
     * The state in words: {@code verified (crc32 5e2f1a0b)}, {@code MISMATCH: the file says
     * crc32 ..., its contents give ...} or {@code none (...)}.
     */
    @Override
    public String toString() {
      return switch (state) {
        case VERIFIED -> "verified (crc32 " + stored + ")";
        case MISMATCH -> "MISMATCH: the file says crc32 " + stored + " but its contents give "
            + computed;
        case ABSENT -> "none (the file holds no crc32)";
      };
    }
  }

  /** The network the file was saved from, as its {@code network} metadata names it. */
  public Optional<String> network() {
    String name = metadata.get("network");
    return name == null || name.isEmpty() ? Optional.empty() : Optional.of(name);
  }

  /**
   * Reads the header of {@code path} and checks its checksum.
   *
   * @throws java.nio.file.NoSuchFileException if there is no file at {@code path}
   * @throws IOException if the file is unreadable, not safetensors, or truncated (its header
   *     names bytes past the end); the message names the file and the problem
   */
  public static FileInfo read(Path path) throws IOException {
    byte[] bytes = Files.readAllBytes(path);
    String source = path.toString();
    // The reader checks the header and every tensor's byte range, and gives the float data.
    SafeTensors.Contents contents = SafeTensors.read(bytes, source);
    Map<String, String> metadata = contents.metadata();
    String format = metadata.getOrDefault("format", "");
    Kind kind = switch (format) {
      case "annonet" -> Kind.MODEL;
      case CheckpointFile.FORMAT -> Kind.CHECKPOINT;
      default -> Kind.SAFETENSORS;
    };
    Checksum checksum;
    if (kind == Kind.CHECKPOINT) {
      checksum = checkpointChecksum(bytes, source);
    } else if (metadata.containsKey("crc32")) {
      String stored = metadata.get("crc32");
      String computed = ModelFile.checksum(contents.tensors());
      checksum = new Checksum(stored.equals(computed)
          ? ChecksumState.VERIFIED : ChecksumState.MISMATCH, stored, computed);
    } else {
      checksum = new Checksum(ChecksumState.ABSENT, null, null);
    }
    return new FileInfo(source, bytes.length, kind, metadata, table(bytes, source), checksum);
  }

  private static Checksum checkpointChecksum(byte[] bytes, String source) {
    String stored;
    String computed;
    try {
      stored = CheckpointFile.storedChecksum(bytes, source);
      computed = CheckpointFile.actualChecksum(bytes, source);
    } catch (IOException noChecksum) {
      return new Checksum(ChecksumState.ABSENT, null, null);
    }
    return new Checksum(stored.equals(computed)
        ? ChecksumState.VERIFIED : ChecksumState.MISMATCH, stored, computed);
  }

  /** The header's tensor table, in file order; the header was checked by the reader. */
  private static List<TensorInfo> table(byte[] bytes, String source) throws IOException {
    long headerSize = java.nio.ByteBuffer.wrap(bytes)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
    String header = new String(bytes, 8, (int) headerSize, StandardCharsets.UTF_8);
    Map<?, ?> map = (Map<?, ?>) Json.parse(header.strip());
    List<TensorInfo> tensors = new ArrayList<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String name = (String) entry.getKey();
      if (name.equals("__metadata__")) {
        continue;
      }
      Map<?, ?> spec = (Map<?, ?>) entry.getValue();
      List<?> dims = (List<?>) spec.get("shape");
      int[] shape = new int[dims.size()];
      for (int i = 0; i < shape.length; i++) {
        if (!(dims.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
          throw new IOException(source + " has a corrupted shape for '" + name + "'");
        }
        shape[i] = (int) (long) d;
      }
      tensors.add(new TensorInfo(name, (String) spec.get("dtype"), shape));
    }
    return tensors;
  }
}
