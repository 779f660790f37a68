package dev.annonet.cli;

import static dev.annonet.cli.Cli.DIGITS;
import static dev.annonet.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.LayerInfo;
import dev.annonet.data.Dataset;
import dev.annonet.examples.data.ExampleData;
import dev.annonet.examples.digits.DigitsModel;
import dev.annonet.io.ModelFile;
import dev.annonet.io.SafeTensors;
import dev.annonet.optim.Adam;
import dev.annonet.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * annonet inspect: the network, layers, tensors (shapes and ranges of the saved values),
 * metadata and checksum state of model files, checkpoints and foreign files; a changed byte is
 * reported and exits with 1.
 */
class InspectCommandTest {

  @TempDir static Path dir;
  static Path digitsModel;

  @BeforeAll
  static void trainModel() {
    digitsModel = dir.resolve("digits.safetensors");
    Cli.Run r = run("train", "-n", "digits", "-d", DIGITS.toString(), "-t", "digit", "-e", "1",
        "--save", digitsModel.toString());
    assertEquals(0, r.exitCode(), r.err());
  }

  @Test
  void describesAModelFileFromItsOwnBytes() throws IOException {
    Cli.Run r = run("inspect", digitsModel.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("", r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(String.format(Locale.ROOT, "%s: Annonet model file, %,d bytes", digitsModel,
        Files.size(digitsModel)), lines.get(0));
    assertEquals("network: Digits, bundled as digits: 64 -> 10, multiclass, 9,610 parameters",
        lines.get(1));
    assertEquals(List.of("layer   kind        output  parameters",
        "pixels  Input       64               0",
        "hidden  Dense+Relu  128          8,320",
        "logits  Dense       10           1,290"),
        lines.subList(2, 6).stream().map(String::strip).toList());
    assertEquals("tensors: 4, 9,610 values", lines.get(6));

    // Each tensor's row gives its shape and the range of the trained values.
    DigitsModel model = new DigitsModel(1);
    ModelFile.load(model, digitsModel);
    float[] params = model.parameters();
    int row = 8;
    for (LayerInfo layer : model.layers()) {
      if (layer.weightOffset() < 0) {
        continue;
      }
      assertRow(lines.get(row++), layer.name() + ".weight", Arrays.toString(layer.weightShape()),
          Arrays.copyOfRange(params, layer.weightOffset(), layer.weightOffset()
              + layer.weightSize()));
      assertRow(lines.get(row++), layer.name() + ".bias", "[" + layer.biasSize() + "]",
          Arrays.copyOfRange(params, layer.biasOffset(), layer.biasOffset() + layer.biasSize()));
    }
    String crc = SafeTensors.read(digitsModel).metadata().get("crc32");
    assertEquals(List.of("metadata:", "format   annonet", "network  Digits",
        "layers   " + LayerInfo.summary(model.layers()), "crc32    " + crc),
        lines.subList(row, row + 5).stream().map(String::strip).toList());
    assertEquals("checksum: verified (crc32 " + crc + ")", lines.get(row + 5));
    assertEquals("loads into: digits", lines.get(row + 6));
    assertEquals(row + 7, lines.size(), r.out());
  }

  private static void assertRow(String line, String name, String shape, float[] values) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    String[] cells = line.strip().split("\\s{2,}");
    assertEquals(List.of(name, "F32", shape, String.format(Locale.ROOT, "%.4g", min),
        String.format(Locale.ROOT, "%.4g", max)), List.of(cells), line);
  }

  @Test
  void aChangedByteIsAChecksumMismatchAndExitsWithOne() throws IOException {
    byte[] bytes = Files.readAllBytes(digitsModel);
    bytes[bytes.length - 1000] ^= 0x01;
    Path changed = dir.resolve("changed.safetensors");
    Files.write(changed, bytes);
    Cli.Run r = run("inspect", changed.toString());
    String crc = SafeTensors.read(digitsModel).metadata().get("crc32");
    String error = r.oneLineError(1);
    assertTrue(error.startsWith("annonet inspect: error: " + changed + " is corrupted: its "
        + "checksum is " + crc + " but its contents give "), error);
    assertTrue(error.endsWith("; restore it from a copy"), error);
    String computed = error.replaceAll(".* but its contents give (\\S+);.*", "$1");
    assertTrue(!computed.equals(crc) && computed.matches("[0-9a-f]+"), computed);
    // The report is still printed, with the mismatch.
    assertTrue(r.out().contains("\nchecksum: MISMATCH: the file says crc32 " + crc + " but its "
        + "contents give " + computed + "\n"), r.out());
    assertTrue(r.out().contains("tensors: 4, 9,610 values"), r.out());
  }

  @Test
  void describesACheckpointWithItsTrainingState(@TempDir Path run) throws IOException {
    Dataset data = ExampleData.digits().split(0.9, 1).train();
    Path checkpoint = run.resolve("digits.ckpt");
    Trainer.of(new DigitsModel(4)).optimizer(Adam.defaults()).batchSize(20).epochs(2).seed(3)
        .checkpointEvery(1, checkpoint).quiet().fit(data);
    Cli.Run r = run("inspect", checkpoint.toString());
    assertEquals(0, r.exitCode(), r.err());
    String out = r.out();
    assertTrue(out.startsWith(checkpoint + ": Annonet training checkpoint, "), out);
    assertTrue(out.contains("\nnetwork: Digits, bundled as digits: "), out);
    assertTrue(out.contains("\n  model.hidden.weight  F32    [128, 64] "), out);
    assertTrue(out.contains("\n  trainer.order        I32    [" + data.size() + "] "), out);
    assertTrue(out.contains("\n  optimizer.0 "), out);
    assertTrue(java.util.regex.Pattern.compile("\n  history +\\(2 lines\\)\n").matcher(out)
        .find(), out);
    assertTrue(out.contains("\nchecksum: verified (crc32 "), out);
    int updates = 2 * ((data.size() + 19) / 20);
    assertTrue(out.contains(String.format(Locale.ROOT, "\ntraining: 2 epochs done, %,d "
        + "updates, batch 20, seed 3, ", updates)), out);
    assertTrue(out.contains("\nlast epoch: epoch 2/2 loss "), out);
  }

  @Test
  void aForeignFileHasNoNetworkNorChecksumUnlessNamed() throws IOException {
    Path foreign = dir.resolve("torch.safetensors");
    SafeTensors.write(Map.of("fc.weight", new SafeTensors.Tensor(new int[] {2, 3},
        new float[] {1, -2, 3, Float.NaN, 0.5f, 0})), Map.of(), foreign);
    Cli.Run r = run("inspect", foreign.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains(": safetensors file not written by Annonet, "), r.out());
    assertTrue(r.out().contains("\nnetwork: not recorded (name a bundled one with --network "
        + "to see its layers)\n"), r.out());
    assertTrue(r.out().contains("\n  fc.weight  F32    [2, 3]  -2.000  3.000  1 not "
        + "finite\n"), r.out());
    assertTrue(r.out().contains("\nmetadata: none\n"), r.out());
    assertTrue(r.out().endsWith("\nchecksum: none (the file holds no crc32)\n"), r.out());

    Cli.Run named = run("inspect", "--network", "digits", foreign.toString());
    String error = named.oneLineError(1);
    assertTrue(error.startsWith("annonet inspect: error: " + foreign + " does not fit Digits: "),
        error);
    assertTrue(named.out().contains("\nnetwork: Digits, bundled as digits"), named.out());
    assertTrue(named.out().contains("\nloads into: no, " + foreign + " does not fit Digits: "),
        named.out());
  }

  @Test
  void missingTruncatedAndForeignFilesAreOneLineErrors() throws IOException {
    Path none = dir.resolve("none.safetensors");
    assertEquals("annonet inspect: error: " + none + " does not exist: give a file written by "
        + "'annonet train --save' or a checkpoint", run("inspect", none.toString())
        .oneLineError(1));
    Path cut = dir.resolve("cut.safetensors");
    byte[] bytes = Files.readAllBytes(digitsModel);
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 8));
    String truncated = run("inspect", cut.toString()).oneLineError(1);
    assertTrue(truncated.startsWith("annonet inspect: error: " + cut + " is truncated or "
        + "corrupted: tensor 'logits.bias' [10] F32 needs bytes "), truncated);
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "not a model at all, just some words in a file");
    String foreign = run("inspect", text.toString()).oneLineError(1);
    assertTrue(foreign.startsWith("annonet inspect: error: " + text + " is not a safetensors "
        + "file, or is truncated: its header length field says "), foreign);
    assertEquals("Missing required parameter: 'FILE'; see 'annonet inspect --help'",
        run("inspect").oneLineError(2));
    assertEquals("Unknown option: '--all'; see 'annonet inspect --help'",
        run("inspect", "--all", digitsModel.toString()).oneLineError(2));
  }
}
