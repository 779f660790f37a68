package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.annonet.optim.Adam;
import dev.annonet.testing.SoftmaxModel;
import dev.annonet.testing.Synthetic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint cut at every byte or with any byte changed is refused naming the file. */
class CheckpointDamageTest {

  private static void refused(Path file, byte[] bytes, String what) throws IOException {
    Files.write(file, bytes);
    try {
      Checkpoint.read(file);
      fail(what + ": read without an error");
    } catch (IOException e) {
      assertTrue(e.getMessage() != null && e.getMessage().startsWith(file.toString()),
          what + ": " + e.getMessage());
    } catch (RuntimeException | OutOfMemoryError e) {
      fail(what + ": " + e, e);
    }
  }

  @Test
  void everyCutAndManyChangedBytesAreRefused(@TempDir Path dir) throws IOException {
    Path saved = dir.resolve("run.ckpt");
    SoftmaxModel model = new SoftmaxModel(4, 3);
    model.initialize(1);
    Trainer.of(model).optimizer(Adam.defaults()).batchSize(16).epochs(2).seed(3).quiet()
        .checkpointEvery(1, saved).fit(Synthetic.separable(60, 4, 3, 1));
    byte[] whole = Files.readAllBytes(saved);
    Checkpoint.read(saved);
    Path file = dir.resolve("damaged.ckpt");
    for (int cut = 0; cut < whole.length; cut++) {
      refused(file, Arrays.copyOf(whole, cut), "cut at " + cut);
    }
    Random random = new Random(11);
    for (int trial = 0; trial < 2000; trial++) {
      byte[] changed = whole.clone();
      int at = random.nextInt(whole.length);
      changed[at] ^= (byte) (1 + random.nextInt(255));
      refused(file, changed, "byte " + at);
    }
  }
}
