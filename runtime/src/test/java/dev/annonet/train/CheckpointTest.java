package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.Model;
import dev.annonet.io.ModelFile;
import dev.annonet.optim.Adam;
import dev.annonet.optim.Optimizer;
import dev.annonet.testing.SoftmaxModel;
import dev.annonet.testing.SquaredErrorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint file: everything written is read back exactly; any truncation, any changed
 * byte, a model file and a checkpoint of another network or optimizer are refused with a message
 * naming the file and the problem, leaving the model and optimizer untouched.
 */
class CheckpointTest {

  private static final List<EpochRecord> HISTORY = List.of(
      new EpochRecord(1, 0.9, 0.31, 0.01f, new Metrics(0.95, 0.5, Double.NaN, Double.NaN), 0.2),
      new EpochRecord(2, 0.5, 0.1 / 3, 0.005f, Metrics.NONE, 1e-3));

  private static Model model() {
    SoftmaxModel m = new SoftmaxModel(4, 3);
    m.initialize(3);
    return m;
  }

  private static Adam steppedAdam(Model model) {
    Adam adam = Adam.defaults().amsgrad(true);
    float[] g = new float[model.parameterCount()];
    for (int k = 0; k < 3; k++) {
      for (int i = 0; i < g.length; i++) {
        g[i] = (float) Math.sin(i + 7.0 * k);
      }
      adam.step(model.parameters(), g, 0.01f);
    }
    return adam;
  }

  private static Checkpoint checkpoint(Model model, Optimizer optimizer) {
    int[] order = {4, 0, 3, 1, 2};
    return Checkpoint.of(model, optimizer, new Checkpoint.Progress(2, 6, -42, 2, 5, 0x5EED, 0,
        0x9e3779b97f4a7c15L, order, null, null), HISTORY);
  }

  private static Path write(Path dir) throws IOException {
    Model model = model();
    Path file = dir.resolve("run.ckpt");
    checkpoint(model, steppedAdam(model)).write(file);
    return file;
  }

  @Test
  void readsBackExactlyWhatWasWritten(@TempDir Path dir) throws IOException {
    Model model = model();
    Adam adam = steppedAdam(model);
    Path file = dir.resolve("run.ckpt");
    checkpoint(model, adam).write(file);
    Checkpoint c = Checkpoint.read(file);

    assertEquals("SoftmaxModel", c.network());
    assertEquals(file.toString(), c.source());
    assertEquals(List.of("linear.weight", "linear.bias"), List.copyOf(c.model().keySet()));
    assertArrayEquals(Arrays.copyOf(model.parameters(), 12), c.model().get("linear.weight")
        .data());
    assertEquals(0, c.modelRandom().length);
    assertEquals("Adam", c.optimizer().kind());
    assertEquals(adam.toString(), c.optimizer().settings());
    assertEquals(3, c.optimizer().steps());
    assertEquals(3, c.optimizer().arrays().length);
    for (int k = 0; k < 3; k++) {
      assertArrayEquals(adam.state()[k], c.optimizer().arrays()[k]);
    }
    Checkpoint.Progress p = c.progress();
    assertEquals(2, p.epoch());
    assertEquals(6, p.updates());
    assertEquals(-42, p.seed());
    assertEquals(2, p.batchSize());
    assertEquals(5, p.samples());
    assertEquals(0x9e3779b97f4a7c15L, p.shuffleState());
    assertArrayEquals(new int[] {4, 0, 3, 1, 2}, p.order());
    assertNull(p.stopReason());
    assertEquals(HISTORY, c.history(), "every number of the history in full precision");

    // The same state gives the same bytes, and a finished run records why it ended.
    Path again = dir.resolve("again.ckpt");
    checkpoint(model, adam).write(again);
    assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));
    Checkpoint.of(model, adam, new Checkpoint.Progress(2, 6, 1, 2, 5, 0x5EED, 0, 0,
        new int[] {0, 1, 2, 3, 4}, StopReason.GRADIENT_NORM, "the gradient norm fell"), HISTORY)
        .write(again);
    assertEquals(StopReason.GRADIENT_NORM, Checkpoint.read(again).progress().stopReason());
    assertEquals("the gradient norm fell", Checkpoint.read(again).progress().stopMessage());
  }

  @Test
  void restorePutsModelAndOptimizerBack(@TempDir Path dir) throws IOException {
    Path file = write(dir);
    Model original = model();
    Adam adam = steppedAdam(original);

    SoftmaxModel other = new SoftmaxModel(4, 3);
    other.initialize(77);
    Adam fresh = Adam.defaults().amsgrad(true);
    Checkpoint.read(file).restore(other, fresh);
    assertArrayEquals(original.parameters(), other.parameters());
    assertEquals(adam.steps(), fresh.steps());
    for (int k = 0; k < 3; k++) {
      assertArrayEquals(adam.state()[k], fresh.state()[k]);
    }
  }

  @Test
  void everyTruncationIsRefused(@TempDir Path dir) throws IOException {
    Path file = write(dir);
    byte[] bytes = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.ckpt");
    for (int length = 0; length < bytes.length; length++) {
      Files.write(cut, Arrays.copyOf(bytes, length));
      IOException e = assertThrows(IOException.class, () -> Checkpoint.read(cut),
          "cut to " + length + " of " + bytes.length + " bytes");
      assertTrue(e.getMessage().startsWith(cut + " is truncated"),
          length + " bytes: " + e.getMessage());
    }
  }

  @Test
  void everyChangedByteIsRefused(@TempDir Path dir) throws IOException {
    Path file = write(dir);
    byte[] bytes = Files.readAllBytes(file);
    Path bad = dir.resolve("bad.ckpt");
    int corrupted = 0;
    for (int i = 0; i < bytes.length; i++) {
      byte[] changed = bytes.clone();
      changed[i] ^= (byte) (1 << (i % 7));
      Files.write(bad, changed);
      IOException e = assertThrows(IOException.class, () -> Checkpoint.read(bad),
          "byte " + i + " of " + bytes.length + " changed");
      assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
      corrupted += e.getMessage().startsWith(bad + " is corrupted") ? 1 : 0;
    }
    // Outside the length field and a few header characters, the checksum is what catches it.
    assertTrue(corrupted > bytes.length * 9 / 10, corrupted + " of " + bytes.length);

    Files.write(bad, Arrays.copyOf(bytes, bytes.length + 4));
    IOException longer = assertThrows(IOException.class, () -> Checkpoint.read(bad));
    assertTrue(longer.getMessage().startsWith(bad + " is corrupted: its checksum is "),
        longer.getMessage());
  }

  @Test
  void otherFilesAreRefused(@TempDir Path dir) throws IOException {
    Path modelFile = dir.resolve("model.safetensors");
    ModelFile.save(model(), modelFile);
    IOException e = assertThrows(IOException.class, () -> Checkpoint.read(modelFile));
    assertEquals(modelFile + " is not an Annonet checkpoint: it is a model file written by"
        + " ModelFile.save; load it with ModelFile.load", e.getMessage());

    Path checkpoint = write(dir);
    IOException asModel =
        assertThrows(IOException.class, () -> ModelFile.load(model(), checkpoint));
    assertEquals(checkpoint + " is a training checkpoint, not a model file: resume it with"
        + " Trainer.resumeFrom, or read it with Checkpoint.read", asModel.getMessage());

    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "epoch 3 was fine, more or less\n");
    IOException notes = assertThrows(IOException.class, () -> Checkpoint.read(text));
    assertTrue(notes.getMessage().startsWith(text + " is truncated or not a checkpoint"),
        notes.getMessage());
  }

  @Test
  void aCheckpointOfAnotherNetworkOrOptimizerIsRefusedAndChangesNothing(@TempDir Path dir)
      throws IOException {
    Path file = write(dir);
    Checkpoint c = Checkpoint.read(file);

    SquaredErrorModel regression = new SquaredErrorModel(4, 3);
    regression.initialize(5);
    float[] before = regression.parameters().clone();
    Adam adam = Adam.defaults().amsgrad(true);
    IOException network = assertThrows(IOException.class, () -> c.restore(regression, adam));
    assertEquals(file + " does not fit this run: it was written for network SoftmaxModel, not"
        + " SquaredErrorModel. Resume with the network and optimizer settings that wrote it, or"
        + " delete it to start over", network.getMessage());
    assertArrayEquals(before, regression.parameters());
    assertEquals(0, adam.steps());

    SoftmaxModel model = new SoftmaxModel(4, 3);
    model.initialize(5);
    float[] start = model.parameters().clone();
    IOException plain = assertThrows(IOException.class, () -> c.restore(model, Adam.defaults()));
    assertTrue(plain.getMessage().contains("it was written by Adam" + adam.config() + ", this"
        + " run uses Adam" + Adam.defaults().config()), plain.getMessage());
    IOException sgd = assertThrows(IOException.class,
        () -> c.restore(model, dev.annonet.optim.Sgd.defaults()));
    assertTrue(sgd.getMessage().contains("it was written by optimizer Adam, this run uses Sgd"),
        sgd.getMessage());
    assertArrayEquals(start, model.parameters());

    SoftmaxModel wide = new SoftmaxModel(5, 3);
    IOException shapes = assertThrows(IOException.class, () -> c.restore(wide, adam));
    assertTrue(shapes.getMessage().contains("'linear.weight' is [3, 4] in the file but [3, 5]"
        + " in the network; its optimizer state has 15 values per array, the network has 18"
        + " parameters"), shapes.getMessage());
  }

  @Test
  void leavesNoTemporaryFilesAndClearsThoseOfAKilledWriter(@TempDir Path dir)
      throws IOException {
    Path stale = dir.resolve(".run.ckpt123456.tmp");
    Files.writeString(stale, "half a checkpoint");
    Path unrelated = dir.resolve(".other.ckpt99.tmp");
    Files.writeString(unrelated, "not ours");
    Path file = write(dir);
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file, unrelated), files.sorted((a, b) -> b.compareTo(a)).toList());
    }
  }

  @Test
  void earlyStoppingStateAndLastEpochAreReadBackAndCheckedForConsistency(@TempDir Path dir)
      throws IOException {
    Model model = model();
    Adam adam = steppedAdam(model);
    int n = model.parameterCount();
    float[] best = new float[n];
    float[] last = new float[n];
    for (int i = 0; i < n; i++) {
      best[i] = 0.5f * i - 1;
      last[i] = (float) Math.cos(i);
    }
    Checkpoint.Best state = new Checkpoint.Best("validation loss, patience 3", 1,
        Checkpoint.tensors(model, best, Map.of()));
    Checkpoint.Progress ended = new Checkpoint.Progress(2, 6, 1, 2, 5, 0x5EED, 0, 0,
        new int[] {0, 1, 2, 3, 4}, StopReason.MAX_EPOCHS, "ran all 2 epochs; restored epoch 1");
    Path file = dir.resolve("run.ckpt");
    Checkpoint.of(model, adam, ended, HISTORY, state, Checkpoint.tensors(model, last, Map.of()))
        .write(file);
    Checkpoint c = Checkpoint.read(file);
    assertEquals("validation loss, patience 3", c.best().setting());
    assertEquals(1, c.best().epoch());
    assertEquals("ran all 2 epochs; restored epoch 1", c.progress().stopMessage());
    float[] back = new float[n];
    Checkpoint.copy(c.best().model(), model, back, Map.of());
    assertArrayEquals(best, back);
    Checkpoint.copy(c.lastEpoch(), model, back, Map.of());
    assertArrayEquals(last, back);
    // Training goes on from the last epoch's parameters.
    SoftmaxModel other = new SoftmaxModel(4, 3);
    c.restore(other, Adam.defaults().amsgrad(true));
    assertArrayEquals(last, other.parameters());

    // Inconsistent contents are refused even under a right checksum.
    Path bad = dir.resolve("bad.ckpt");
    Checkpoint noBestTensors = new Checkpoint(c.network(), c.layers(), c.model(),
        c.modelRandom(), c.optimizer(), c.progress(), c.history(),
        new Checkpoint.Best(state.setting(), 1, Map.of()), Map.of(), "memory");
    noBestTensors.write(bad);
    IOException missing = assertThrows(IOException.class, () -> Checkpoint.read(bad));
    assertEquals(bad + " is corrupted: its best epoch is 1 but it holds no 'best.' tensors",
        missing.getMessage());
    Checkpoint.Progress stopped = new Checkpoint.Progress(2, 6, 1, 2, 5, 0x5EED, 0, 0,
        new int[] {0, 1, 2, 3, 4}, StopReason.GRADIENT_NORM, "the gradient norm fell");
    new Checkpoint(c.network(), c.layers(), c.model(), c.modelRandom(), c.optimizer(), stopped,
        c.history(), c.best(), c.lastEpoch(), "memory").write(bad);
    IOException lastOfAStoppedRun = assertThrows(IOException.class, () -> Checkpoint.read(bad));
    assertTrue(lastOfAStoppedRun.getMessage().startsWith(bad + " is corrupted: it holds"
        + " parameters after the last epoch"), lastOfAStoppedRun.getMessage());
    Checkpoint.Progress silent = new Checkpoint.Progress(2, 6, 1, 2, 5, 0x5EED, 0, 0,
        new int[] {0, 1, 2, 3, 4}, StopReason.GRADIENT_NORM, null);
    Checkpoint.of(model, adam, silent, HISTORY).write(bad);
    IOException noMessage = assertThrows(IOException.class, () -> Checkpoint.read(bad));
    assertTrue(noMessage.getMessage().startsWith(bad + " is corrupted: it has a stop reason"),
        noMessage.getMessage());
    Checkpoint.of(model, adam, ended, HISTORY, new Checkpoint.Best("", 1,
        c.best().model()), Map.of()).write(bad);
    IOException noSetting = assertThrows(IOException.class, () -> Checkpoint.read(bad));
    assertTrue(noSetting.getMessage().startsWith(bad + " is corrupted: it has a best epoch (1)"),
        noSetting.getMessage());
  }

  @Test
  void aCheckpointOfAnotherFormatVersionIsRefused(@TempDir Path dir) throws IOException {
    Path file = write(dir);
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    String version = "\"version\":\"" + Checkpoint.VERSION + "\"";
    assertTrue(text.contains(version), "the header names its version");
    // An older file: version 1, with its checksum made right so that the version is what fails.
    byte[] old = text.replace(version, "\"version\":\"1\"")
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    int at = text.indexOf("\"crc32\":\"") + 9;
    Arrays.fill(old, at, at + 8, (byte) '0');
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(old);
    byte[] digits = String.format("%08x", crc.getValue()).getBytes(
        java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(digits, 0, old, at, 8);
    Path v1 = dir.resolve("v1.ckpt");
    Files.write(v1, old);
    IOException e = assertThrows(IOException.class, () -> Checkpoint.read(v1));
    assertEquals(v1 + " is a checkpoint of format version 1 but this Annonet reads version "
        + Checkpoint.VERSION + ": resume it with the Annonet that wrote it", e.getMessage());
  }
}
