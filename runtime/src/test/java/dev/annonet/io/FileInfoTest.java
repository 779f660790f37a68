package dev.annonet.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.Model;
import dev.annonet.optim.Adam;
import dev.annonet.testing.SoftmaxModel;
import dev.annonet.train.Checkpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FileInfo: the kind, network, metadata, tensor table and checksum state of model files,
 * checkpoints and foreign safetensors files, read without the network's class; a changed byte
 * is reported as a mismatch, a truncated or foreign file refused with a message.
 */
class FileInfoTest {

  private static Model model() {
    SoftmaxModel m = new SoftmaxModel(4, 3);
    m.initialize(3);
    return m;
  }

  @Test
  void describesAModelFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("m.safetensors");
    ModelFile.save(model(), file);
    FileInfo info = FileInfo.read(file);
    assertEquals(FileInfo.Kind.MODEL, info.kind());
    assertEquals(file.toString(), info.source());
    assertEquals(Files.size(file), info.bytes());
    assertEquals(Optional.of("SoftmaxModel"), info.network());
    assertEquals(List.of("format", "network", "layers", "crc32"),
        List.copyOf(info.metadata().keySet()));
    assertEquals(List.of(new FileInfo.TensorInfo("linear.weight", "F32", new int[] {3, 4}),
        new FileInfo.TensorInfo("linear.bias", "F32", new int[] {3})), info.tensors());
    assertEquals(12, info.tensors().get(0).elements());
    assertEquals("[3, 4]", info.tensors().get(0).shapeString());
    assertEquals(FileInfo.ChecksumState.VERIFIED, info.checksum().state());
    assertEquals(info.metadata().get("crc32"), info.checksum().stored());
    assertEquals(info.checksum().stored(), info.checksum().computed());
    assertEquals("verified (crc32 " + info.metadata().get("crc32") + ")",
        info.checksum().toString());
  }

  @Test
  void aChangedDataByteIsAMismatchThatLoadRefuses(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("m.safetensors");
    ModelFile.save(model(), file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 5] ^= 0x10;
    Files.write(file, bytes);
    FileInfo info = FileInfo.read(file);
    assertEquals(FileInfo.ChecksumState.MISMATCH, info.checksum().state());
    assertEquals(info.metadata().get("crc32"), info.checksum().stored());
    assertTrue(!info.checksum().stored().equals(info.checksum().computed()));
    assertEquals("MISMATCH: the file says crc32 " + info.checksum().stored()
        + " but its contents give " + info.checksum().computed(), info.checksum().toString());
    // The same computation as the loader's: its refusal names the same two checksums.
    IOException e = assertThrows(IOException.class, () -> ModelFile.load(model(), file));
    assertEquals(file + " is corrupted: its checksum is " + info.checksum().stored()
        + " but its data sums to " + info.checksum().computed() + "; restore it from a copy",
        e.getMessage());
  }

  @Test
  void describesACheckpointAndItsIntegerTensor(@TempDir Path dir) throws IOException {
    Model model = model();
    Path file = dir.resolve("run.ckpt");
    Adam adam = Adam.defaults();
    adam.step(model.parameters(), new float[model.parameterCount()], 0.01f);
    Checkpoint.of(model, adam, new Checkpoint.Progress(2, 6, 42, 2, 5, 0x5EED, 0, 7L,
        new int[] {4, 0, 3, 1, 2}, null, null), List.of()).write(file);
    FileInfo info = FileInfo.read(file);
    assertEquals(FileInfo.Kind.CHECKPOINT, info.kind());
    assertEquals(Optional.of("SoftmaxModel"), info.network());
    assertEquals("2", info.metadata().get("epoch"));
    assertEquals(FileInfo.ChecksumState.VERIFIED, info.checksum().state());
    FileInfo.TensorInfo order = info.tensors().get(info.tensors().size() - 1);
    assertEquals(new FileInfo.TensorInfo("trainer.order", "I32", new int[] {5}), order);
    assertEquals(new FileInfo.TensorInfo("model.linear.weight", "F32", new int[] {3, 4}),
        info.tensors().get(0));

    // Any changed byte, even in the metadata, is a mismatch: the checksum covers the file.
    byte[] bytes = Files.readAllBytes(file);
    String header = new String(bytes, StandardCharsets.ISO_8859_1);
    int at = header.indexOf("\"epoch\":\"2\"") + "\"epoch\":\"".length();
    bytes[at] = '3';
    Files.write(file, bytes);
    FileInfo changed = FileInfo.read(file);
    assertEquals("3", changed.metadata().get("epoch"));
    assertEquals(FileInfo.ChecksumState.MISMATCH, changed.checksum().state());
    assertEquals(info.checksum().stored(), changed.checksum().stored());
    IOException e = assertThrows(IOException.class, () -> Checkpoint.read(file));
    assertTrue(e.getMessage().contains("its checksum is " + changed.checksum().stored()
        + " but its contents sum to " + changed.checksum().computed()), e.getMessage());
  }

  @Test
  void aForeignSafetensorsFileHasNoChecksum(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("torch.safetensors");
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
    tensors.put("fc.weight", new SafeTensors.Tensor(new int[] {2, 3}, new float[6]));
    SafeTensors.write(tensors, Map.of(), file);
    FileInfo info = FileInfo.read(file);
    assertEquals(FileInfo.Kind.SAFETENSORS, info.kind());
    assertEquals(Optional.empty(), info.network());
    assertTrue(info.metadata().isEmpty());
    assertEquals(FileInfo.ChecksumState.ABSENT, info.checksum().state());
    assertNull(info.checksum().stored());
    assertEquals(List.of(new FileInfo.TensorInfo("fc.weight", "F32", new int[] {2, 3})),
        info.tensors());
  }

  @Test
  void truncatedMissingAndForeignFilesAreRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("m.safetensors");
    ModelFile.save(model(), file);
    byte[] bytes = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.safetensors");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 4));
    IOException e = assertThrows(IOException.class, () -> FileInfo.read(cut));
    assertTrue(e.getMessage().startsWith(cut + " is truncated or corrupted: tensor "
        + "'linear.bias'"), e.getMessage());

    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "hello, this is not a model file");
    e = assertThrows(IOException.class, () -> FileInfo.read(text));
    assertTrue(e.getMessage().startsWith(text + " is not a safetensors file"), e.getMessage());

    assertThrows(NoSuchFileException.class, () -> FileInfo.read(dir.resolve("none")));
  }

  @Test
  void aHeaderWithWronglyTypedFieldsIsRefusedWithAMessage(@TempDir Path dir)
      throws IOException {
    for (String header : new String[] {
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[\"a\"],\"data_offsets\":[0,4]}}",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,\"4\"]}}",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}",
        "{\"w\\"}) {
      Path file = dir.resolve("bad.safetensors");
      byte[] head = header.getBytes(StandardCharsets.UTF_8);
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + head.length + 4)
          .order(java.nio.ByteOrder.LITTLE_ENDIAN);
      b.putLong(head.length).put(head).putFloat(1);
      Files.write(file, b.array());
      IOException e = assertThrows(IOException.class, () -> FileInfo.read(file), header);
      assertTrue(e.getMessage().startsWith(file + " has a corrupted"), e.getMessage());
    }
  }
}
