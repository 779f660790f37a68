package dev.annonet.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format (the one of Hugging Face's {@code safetensors}): an
 * 8-byte little-endian header length, a JSON header giving each tensor's dtype, shape and byte
 * range, an optional {@code __metadata__} map of strings, then the raw little-endian data.
 * Tensors are read as float32 (F32, or F64 and F16/BF16 converted) and written as F32; integer
 * tensors (I32, for checkpoints) are kept apart as {@link IntTensor}s. Writes are atomic: a
 * temporary file beside the target, flushed to disk, then renamed.
 */
public final class SafeTensors {
  private static final long MAX_HEADER = 100L << 20;

  private SafeTensors() {}

  /** A tensor: its shape and its values in row-major order. */
  public record Tensor(int[] shape, float[] data) {

    /** The shape written as {@code [120, 256]}. */
    public String shapeString() {
      return Arrays.toString(shape);
    }
  }

  /** An integer tensor (I32): its shape and its values in row-major order. */
  public record IntTensor(int[] shape, int[] data) {}

  /**
   * A file's float tensors, in file order, its metadata (empty if none) and its I32 tensors
   * (empty if none).
   */
  public record Contents(
      Map<String, Tensor> tensors, Map<String, String> metadata, Map<String, IntTensor> ints) {}

  /** Reads every tensor of {@code path}; errors name the file and what is wrong with it. */
  public static Contents read(Path path) throws IOException {
    byte[] bytes = Files.readAllBytes(path);
    return read(bytes, path.toString());
  }

  /** As {@link #read(Path)}, from bytes; {@code source} names them in errors. */
  public static Contents read(byte[] bytes, String source) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 8) {
      throw new IOException(source + " is not a safetensors file: it is only " + bytes.length
          + " bytes long");
    }
    long headerSize = buf.getLong(0);
    if (headerSize < 2 || headerSize > MAX_HEADER || 8 + headerSize > bytes.length) {
      throw new IOException(source + " is not a safetensors file, or is truncated: its header"
          + " length field says " + headerSize + " bytes, the file holds " + bytes.length);
    }
    String header = new String(bytes, 8, (int) headerSize, StandardCharsets.UTF_8);
    Object parsed;
    try {
      parsed = Json.parse(header.strip());
    } catch (IllegalArgumentException e) {
      throw new IOException(source + " has a corrupted header: " + e.getMessage(), e);
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new IOException(source + " has a corrupted header: it is not a JSON object");
    }
    int dataStart = 8 + (int) headerSize;
    long dataLength = bytes.length - dataStart;
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    Map<String, IntTensor> ints = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String name = (String) entry.getKey();
      if (name.equals("__metadata__")) {
        if (entry.getValue() instanceof Map<?, ?> meta) {
          meta.forEach((k, v) -> metadata.put(String.valueOf(k), String.valueOf(v)));
        }
        continue;
      }
      if (entry.getValue() instanceof Map<?, ?> spec && "I32".equals(spec.get("dtype"))) {
        ints.put(name, intTensor(source, name, spec, buf, dataStart, dataLength));
      } else {
        tensors.put(name, tensor(source, name, entry.getValue(), buf, dataStart, dataLength));
      }
    }
    return new Contents(tensors, metadata, ints);
  }

  private static Tensor tensor(
      String source, String name, Object spec, ByteBuffer buf, int dataStart, long dataLength)
      throws IOException {
    if (!(spec instanceof Map<?, ?> t)
        || !(t.get("dtype") instanceof String dtype)
        || !(t.get("shape") instanceof List<?> shapeList)
        || !(t.get("data_offsets") instanceof List<?> offsets)
        || offsets.size() != 2
        || !(offsets.get(0) instanceof Long begin)
        || !(offsets.get(1) instanceof Long end)) {
      throw new IOException(source + " has a corrupted header entry for '" + name + "'");
    }
    int[] shape = new int[shapeList.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      if (!(shapeList.get(i) instanceof Long dim) || dim < 0 || dim > Integer.MAX_VALUE) {
        throw new IOException(source + " has a corrupted shape for '" + name + "'");
      }
      shape[i] = (int) (long) dim;
      count *= shape[i];
    }
    int width = switch (dtype) {
      case "F32" -> 4;
      case "F64" -> 8;
      case "F16", "BF16" -> 2;
      default -> throw new IOException(
          source + ": tensor '" + name + "' has dtype " + dtype + ", which Annonet cannot read as"
              + " float: save it as float32");
    };
    if (end > dataLength || begin < 0 || end - begin != count * width) {
      throw new IOException(source + " is truncated or corrupted: tensor '" + name + "' "
          + Arrays.toString(shape) + " " + dtype + " needs bytes " + begin + ".." + end
          + " of the data, which holds " + dataLength);
    }
    float[] data = new float[(int) count];
    int at = dataStart + (int) (long) begin;
    for (int i = 0; i < data.length; i++) {
      data[i] = switch (dtype) {
        case "F32" -> buf.getFloat(at + 4 * i);
        case "F64" -> (float) buf.getDouble(at + 8 * i);
        case "F16" -> halfToFloat(buf.getShort(at + 2 * i));
        default -> Float.intBitsToFloat((buf.getShort(at + 2 * i) & 0xFFFF) << 16);
      };
    }
    return new Tensor(shape, data);
  }

  private static IntTensor intTensor(
      String source, String name, Map<?, ?> t, ByteBuffer buf, int dataStart, long dataLength)
      throws IOException {
    if (!(t.get("shape") instanceof List<?> shapeList)
        || !(t.get("data_offsets") instanceof List<?> offsets)
        || offsets.size() != 2
        || !(offsets.get(0) instanceof Long begin)
        || !(offsets.get(1) instanceof Long end)) {
      throw new IOException(source + " has a corrupted header entry for '" + name + "'");
    }
    int[] shape = new int[shapeList.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      if (!(shapeList.get(i) instanceof Long dim) || dim < 0 || dim > Integer.MAX_VALUE) {
        throw new IOException(source + " has a corrupted shape for '" + name + "'");
      }
      shape[i] = (int) (long) dim;
      count *= shape[i];
    }
    if (end > dataLength || begin < 0 || end - begin != count * 4) {
      throw new IOException(source + " is truncated or corrupted: tensor '" + name + "' "
          + Arrays.toString(shape) + " I32 needs bytes " + begin + ".." + end
          + " of the data, which holds " + dataLength);
    }
    int[] data = new int[(int) count];
    int at = dataStart + (int) (long) begin;
    for (int i = 0; i < data.length; i++) {
      data[i] = buf.getInt(at + 4 * i);
    }
    return new IntTensor(shape, data);
  }

  /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(short half) {
    int h = half & 0xFFFF;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1F;
    int mant = h & 0x3FF;
    if (exp == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
    }
    if (exp == 0) {
      float value = mant * 0x1p-24f;
      return sign == 0 ? value : -value;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** Writes {@code tensors} as F32 in the given order, with {@code metadata}, atomically. */
  public static void write(Map<String, Tensor> tensors, Map<String, String> metadata, Path path)
      throws IOException {
    AtomicFile.write(encode(tensors, Map.of(), metadata), path);
  }

  /**
   * The bytes of a file holding {@code tensors} as F32, then {@code ints} as I32, in the given
   * orders, with {@code metadata} (written first in the header, in its order).
   */
  public static byte[] encode(
      Map<String, Tensor> tensors, Map<String, IntTensor> ints, Map<String, String> metadata) {
    StringBuilder header = new StringBuilder("{");
    if (!metadata.isEmpty()) {
      header.append("\"__metadata__\":{");
      List<String> parts = new ArrayList<>();
      metadata.forEach((k, v) -> parts.add(Json.quote(k) + ":" + Json.quote(v)));
      header.append(String.join(",", parts)).append("},");
    }
    long offset = 0;
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      long size = 4L * e.getValue().data().length;
      parts.add(entry(e.getKey(), "F32", e.getValue().shape(), offset, size));
      offset += size;
    }
    for (Map.Entry<String, IntTensor> e : ints.entrySet()) {
      long size = 4L * e.getValue().data().length;
      parts.add(entry(e.getKey(), "I32", e.getValue().shape(), offset, size));
      offset += size;
    }
    header.append(String.join(",", parts)).append('}');
    // The data starts 8-byte aligned: the header is padded with spaces, as the format allows.
    while ((header.length() + 8) % 8 != 0) {
      header.append(' ');
    }
    byte[] head = header.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(8 + head.length + (int) offset)
        .order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(head.length).put(head);
    for (Tensor t : tensors.values()) {
      for (float v : t.data()) {
        out.putFloat(v);
      }
    }
    for (IntTensor t : ints.values()) {
      for (int v : t.data()) {
        out.putInt(v);
      }
    }
    return out.array();
  }

  private static String entry(String name, String dtype, int[] dims, long offset, long size) {
    StringBuilder shape = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) {
      shape.append(i == 0 ? "" : ",").append(dims[i]);
    }
    return Json.quote(name) + ":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
        + "],\"data_offsets\":[" + offset + "," + (offset + size) + "]}";
  }
}
