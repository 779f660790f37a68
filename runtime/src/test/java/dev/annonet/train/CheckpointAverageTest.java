package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.annonet.io.CheckpointFile;
import dev.annonet.io.SafeTensors;
import dev.annonet.optim.Averaging;
import dev.annonet.optim.IterateAverage;
import dev.annonet.optim.Sgd;
import dev.annonet.testing.SoftmaxModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The iterate average in a checkpoint: kept bit for bit, and refused when inconsistent. */
class CheckpointAverageTest {

  private static final Checkpoint.Progress PROGRESS = new Checkpoint.Progress(2, 6, 1, 2, 5,
      0x5EED, 0, 0, new int[] {0, 1, 2, 3, 4}, null, null);

  private static SoftmaxModel model() {
    SoftmaxModel model = new SoftmaxModel(4, 3);
    model.initialize(1);
    return model;
  }

  /** A checkpoint whose average holds doubles a float could not: 1/3, -0.0, a subnormal. */
  private static Path write(Path dir) throws IOException {
    SoftmaxModel model = model();
    int n = model.parameterCount();
    IterateAverage average = new IterateAverage(Averaging.uniformFrom(2), n);
    double[] mean = new double[n];
    for (int i = 0; i < n; i++) {
      mean[i] = (i + 1) / 3.0 - 2;
    }
    mean[0] = -0.0;
    mean[1] = Double.MIN_VALUE;
    mean[2] = -1e300;
    average.restore(mean, 7.0 / 3);
    Path file = dir.resolve("avg.ckpt");
    Checkpoint.of(model, Sgd.defaults(), PROGRESS, List.of(), null, Map.of(), average)
        .write(file);
    return file;
  }

  @Test
  void theAverageComesBackBitForBit(@TempDir Path dir) throws IOException {
    Path file = write(dir);
    Checkpoint c = Checkpoint.read(file);
    assertEquals("uniformFrom 2", c.average().setting());
    assertEquals(7.0 / 3, c.average().weight());
    double[] mean = c.average().mean();
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(mean[0]));
    assertEquals(Double.MIN_VALUE, mean[1]);
    assertEquals(-1e300, mean[2]);
    for (int i = 3; i < mean.length; i++) {
      assertEquals((i + 1) / 3.0 - 2, mean[i], 0.0, "entry " + i);
    }
    IterateAverage back = new IterateAverage(Averaging.uniformFrom(2), mean.length);
    c.restore(model(), Sgd.defaults(), back);
    assertEquals(7.0 / 3, back.weight());
    assertEquals((4 + 1) / 3.0 - 2, back.mean()[4], 0.0);
  }

  /** Rewrites {@code file} (with a right checksum) after {@code change} edits its contents. */
  private static void rewrite(Path file, java.util.function.Consumer<SafeTensors.Contents> change)
      throws IOException {
    SafeTensors.Contents contents = CheckpointFile.read(file);
    Map<String, String> meta = new LinkedHashMap<>(contents.metadata());
    Map<String, SafeTensors.IntTensor> ints = new LinkedHashMap<>(contents.ints());
    SafeTensors.Contents edited = new SafeTensors.Contents(contents.tensors(), meta, ints);
    change.accept(edited);
    meta.remove("crc32");
    meta.remove("format");
    CheckpointFile.write(edited.tensors(), ints, meta, file);
  }

  @Test
  void anAverageWithoutItsSettingOrTensorIsRefused(@TempDir Path dir) throws IOException {
    Path file = write(dir);
    rewrite(file, c -> c.metadata().remove("averaging"));
    IOException noSetting = assertThrows(IOException.class, () -> Checkpoint.read(file));
    assertEquals(file + " is corrupted: it has a 'trainer.average' tensor but no 'averaging'"
        + " setting", noSetting.getMessage());

    Path other = write(dir);
    rewrite(other, c -> c.ints().remove("trainer.average"));
    IOException noTensor = assertThrows(IOException.class, () -> Checkpoint.read(other));
    assertEquals(other + " is corrupted: it has an 'averaging' setting but no"
        + " 'trainer.average' tensor", noTensor.getMessage());

    Path shape = write(dir);
    rewrite(shape, c -> c.ints().put("trainer.average",
        new SafeTensors.IntTensor(new int[] {4}, new int[4])));
    IOException badShape = assertThrows(IOException.class, () -> Checkpoint.read(shape));
    assertEquals(shape + " is corrupted: its 'trainer.average' has shape [4] instead of"
        + " [parameters, 2]", badShape.getMessage());
  }
}
