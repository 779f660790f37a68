package dev.annonet.io;

import dev.annonet.LayerInfo;
import dev.annonet.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Saves and loads a model's parameters as a safetensors file laid out as PyTorch's
 * {@code state_dict}: one float32 tensor per parameter, named after the layer field
 * ({@code f1.weight} {@code [out, in]}, {@code f1.bias} {@code [out]}, {@code c1.weight}
 * {@code [filters, channels, k, k]}), plus the model's state buffers (a batch norm's
 * {@code running_mean} and {@code running_var}). Files written by {@code safetensors.torch}
 * from a PyTorch module with the same field names load directly, and the other way round.
 *
 * <p>Annonet adds {@code __metadata__}: {@code format = annonet}, {@code network} (the class
 * name), {@code layers} (each layer's name, kind, activation and output shape, see
 * {@link LayerInfo#summary()}) and {@code crc32} of the data, so that a corrupted file, or one
 * saved from another network, is refused. Loading checks every name and shape before it changes
 * anything: a file that does not fit the network is refused with a message naming each
 * difference.
 */
public final class ModelFile {
  private ModelFile() {}

  /** Writes the model's parameters and state, atomically (see {@link AtomicFile}). */
  public static void save(Model model, Path path) throws IOException {
    save(model, path, Map.of());
  }

  /**
   * Writes the model's parameters and state with {@code extra} entries in the file's metadata,
   * for what a program needs to apply the model beside its parameters, such as the
   * {@linkplain dev.annonet.data.Standardizer#encode() standardizer} of its inputs; they come
   * back through {@link SafeTensors#read} or {@link FileInfo#read}.
   *
   * @throws IllegalArgumentException if an entry uses a name the file's own metadata uses
   *     ({@code format}, {@code network}, {@code layers}, {@code crc32})
   */
  public static void save(Model model, Path path, Map<String, String> extra) throws IOException {
    Map<String, SafeTensors.Tensor> tensors = tensors(model, true);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "annonet");
    metadata.put("network", model.name());
    metadata.put("layers", LayerInfo.summary(model.layers()));
    for (Map.Entry<String, String> e : extra.entrySet()) {
      if (metadata.containsKey(e.getKey()) || e.getKey().equals("crc32")) {
        throw new IllegalArgumentException("the metadata entry '" + e.getKey() + "' is the model"
            + " file's own: give the extra entry another name");
      }
    }
    metadata.putAll(extra);
    metadata.put("crc32", checksum(tensors));
    SafeTensors.write(tensors, metadata, path);
  }

  /**
   * Loads parameters and state from {@code path} into {@code model}, which is unchanged if the
   * file is refused. A file written by Annonet must come from the same network: the network's
   * name and its layers (name, kind, activation, output shape) as the file records them. A file
   * without that record, such as one written by {@code safetensors.torch}, is checked by its
   * tensors alone, as {@link #loadTensors} does.
   *
   * @throws IOException if the file is unreadable, truncated, corrupted (checksum), was saved
   *     from another network, or does not fit the network (missing, extra or differently shaped
   *     tensors)
   */
  public static void load(Model model, Path path) throws IOException {
    load(model, path, true);
  }

  /**
   * Loads parameters and state from {@code path} into {@code model} by tensor names and shapes
   * alone, as PyTorch's {@code load_state_dict} does, whatever network the file records: for a
   * network that was renamed, or whose activations changed, on purpose. The checksum is still
   * checked; {@code model} is unchanged if the file is refused.
   *
   * @throws IOException if the file is unreadable, truncated, corrupted, or its tensors do not
   *     fit the network
   */
  public static void loadTensors(Model model, Path path) throws IOException {
    load(model, path, false);
  }

  private static void load(Model model, Path path, boolean sameNetwork) throws IOException {
    SafeTensors.Contents contents = SafeTensors.read(path);
    Map<String, String> metadata = contents.metadata();
    if ("annonet-checkpoint".equals(metadata.get("format"))) {
      throw new IOException(path + " is a training checkpoint, not a model file: resume it with"
          + " Trainer.resumeFrom, or read it with Checkpoint.read");
    }
    String crc = metadata.get("crc32");
    String actual = crc == null ? null : checksum(contents.tensors());
    if (crc != null && !crc.equals(actual)) {
      throw new IOException(path + " is corrupted: its checksum is " + crc + " but its data"
          + " sums to " + actual + "; restore it from a copy");
    }
    String network = metadata.getOrDefault("network", "");
    if (sameNetwork) {
      String other = otherNetwork(model, network, metadata.get("layers"));
      if (other != null) {
        throw new IOException(path + " was saved from " + other + ": load it into the network"
            + " that saved it, or, if the change is on purpose, with ModelFile.loadTensors,"
            + " which checks only tensor names and shapes");
      }
    }
    List<String> problems = problems(model, contents.tensors());
    for (String name : contents.ints().keySet()) {
      problems.add("the network has no integer tensor '" + name + "'");
    }
    if (!problems.isEmpty()) {
      throw new IOException(path + " does not fit " + model.name()
          + (network.isEmpty() || network.equals(model.name())
              ? "" : " (it was saved from " + network + ")")
          + ": " + String.join("; ", problems));
    }
    copy(contents.tensors(), model);
  }

  /**
   * How the network recorded as {@code network} with {@code layers} differs from {@code model},
   * e.g. {@code "network Other, not Digits"}; null when it is the same network or the file
   * records none.
   */
  public static String otherNetwork(Model model, String network, String layers) {
    if (!network.isEmpty() && !network.equals(model.name())) {
      return "network " + network + ", not " + model.name();
    }
    if (network.isEmpty() || layers == null) {
      return null;
    }
    List<String> theirs = List.of(layers.split(", ", -1));
    List<LayerInfo> ours = model.layers();
    for (int i = 0; i < Math.max(theirs.size(), ours.size()); i++) {
      String a = i < theirs.size() ? theirs.get(i) : null;
      String b = i < ours.size() ? ours.get(i).summary() : null;
      if (a == null || !a.equals(b)) {
        return "another version of " + network + ": its layer " + (i + 1) + " is "
            + (a == null ? "missing" : "'" + a + "'") + " where " + network + " has "
            + (b == null ? "none" : "'" + b + "'");
      }
    }
    return null;
  }

  /**
   * What keeps {@code tensors} (by PyTorch name) from fitting {@code model}: missing, extra and
   * differently shaped tensors; empty when they fit.
   */
  public static List<String> problems(Model model, Map<String, SafeTensors.Tensor> tensors) {
    Map<String, SafeTensors.Tensor> expected = tensors(model, false);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, SafeTensors.Tensor> e : expected.entrySet()) {
      SafeTensors.Tensor found = tensors.get(e.getKey());
      if (found == null) {
        problems.add("it has no tensor '" + e.getKey() + "' " + e.getValue().shapeString());
      } else if (!java.util.Arrays.equals(found.shape(), e.getValue().shape())) {
        problems.add("'" + e.getKey() + "' is " + found.shapeString() + " in the file but "
            + e.getValue().shapeString() + " in the network");
      }
    }
    for (String name : tensors.keySet()) {
      if (!expected.containsKey(name) && !name.endsWith(".num_batches_tracked")) {
        problems.add("the network has no tensor '" + name + "'");
      }
    }
    return problems;
  }

  /** Copies {@code tensors} into the model's parameters and buffers; they must fit. */
  public static void copy(Map<String, SafeTensors.Tensor> tensors, Model model) {
    copy(tensors, model, model.parameters(), model.buffers());
  }

  /**
   * Copies {@code tensors} into {@code params} and {@code buffers}, laid out as {@code model}'s
   * parameters and buffers (a copy of them); they must fit.
   */
  public static void copy(Map<String, SafeTensors.Tensor> tensors, Model model, float[] params,
      Map<String, float[]> buffers) {
    for (LayerInfo layer : model.layers()) {
      for (LayerInfo.Tensor t : layer.tensors()) {
        float[] data = tensors.get(layer.fileName(t)).data();
        System.arraycopy(data, 0, params, t.offset(), data.length);
      }
    }
    for (Map.Entry<String, float[]> buffer : buffers.entrySet()) {
      float[] data = tensors.get(buffer.getKey()).data();
      System.arraycopy(data, 0, buffer.getValue(), 0, data.length);
    }
  }

  /** The model's tensors by PyTorch name; with {@code copy}, their current values. */
  public static Map<String, SafeTensors.Tensor> tensors(Model model, boolean copy) {
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
    float[] params = model.parameters();
    putParameters(tensors, model, params, copy);
    // Sorted, so that a model's file is the same bytes whatever map the model returns.
    for (Map.Entry<String, float[]> buffer : new java.util.TreeMap<>(model.buffers()).entrySet()) {
      float[] data = buffer.getValue();
      tensors.put(buffer.getKey(),
          new SafeTensors.Tensor(new int[] {data.length}, copy ? data.clone() : data));
    }
    return tensors;
  }

  /**
   * Copies of {@code params} and {@code buffers}, laid out as {@code model}'s parameters and
   * buffers, by PyTorch name in the order of {@link #tensors(Model, boolean)}.
   */
  public static Map<String, SafeTensors.Tensor> tensors(Model model, float[] params,
      Map<String, float[]> buffers) {
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
    putParameters(tensors, model, params, true);
    for (Map.Entry<String, float[]> buffer : new java.util.TreeMap<>(buffers).entrySet()) {
      float[] data = buffer.getValue();
      tensors.put(buffer.getKey(), new SafeTensors.Tensor(new int[] {data.length}, data.clone()));
    }
    return tensors;
  }

  private static void putParameters(Map<String, SafeTensors.Tensor> tensors, Model model,
      float[] params, boolean copy) {
    for (LayerInfo layer : model.layers()) {
      for (LayerInfo.Tensor t : layer.tensors()) {
        tensors.put(layer.fileName(t),
            new SafeTensors.Tensor(t.shape(), slice(params, t.offset(), t.size(), copy)));
      }
    }
  }

  private static float[] slice(float[] params, int offset, int count, boolean copy) {
    return copy ? java.util.Arrays.copyOfRange(params, offset, offset + count) : new float[count];
  }

  /**
   * The {@code crc32} entry of a model file holding {@code tensors}: the CRC-32 of their float32
   * values, little-endian, in order, in lower-case hex without leading zeros.
   */
  static String checksum(Map<String, SafeTensors.Tensor> tensors) {
    return Long.toHexString(crc(tensors));
  }

  private static long crc(Map<String, SafeTensors.Tensor> tensors) {
    CRC32 crc = new CRC32();
    java.nio.ByteBuffer four = java.nio.ByteBuffer.allocate(4)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (SafeTensors.Tensor t : tensors.values()) {
      for (float v : t.data()) {
        four.clear();
        four.putFloat(v);
        crc.update(four.array());
      }
    }
    return crc.getValue();
  }
}
