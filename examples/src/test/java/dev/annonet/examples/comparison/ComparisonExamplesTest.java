package dev.annonet.examples.comparison;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.examples.comparison.OptimizerComparison.Run;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both plotting examples, briefly: every optimizer learns, and the PNGs are real images. */
class ComparisonExamplesTest {

  @TempDir Path dir;

  private static BufferedImage read(Path file) throws Exception {
    assertTrue(Files.isRegularFile(file), file + " was not written");
    BufferedImage image = ImageIO.read(file.toFile());
    assertNotNull(image, "ImageIO cannot decode " + file);
    return image;
  }

  /** Share of pixels that are not the white background. */
  private static double inked(BufferedImage image) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        n += (image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF ? 1 : 0;
      }
    }
    return (double) n / (image.getWidth() * image.getHeight());
  }

  @Test
  void everyOptimizerLowersTheLossFromTheSameStartAndThePlotIsWritten() throws Exception {
    List<Run> runs = OptimizerComparison.compare(42, 3);
    assertEquals(List.of("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "AMSGrad"),
        runs.stream().map(Run::name).toList());
    double start = runs.get(0).initialLoss();
    // Ten classes from small random weights: the start is near ln 10.
    assertEquals(Math.log(10), start, 0.5);
    for (Run run : runs) {
      assertEquals(start, run.initialLoss(), 0.0, run.name() + " started elsewhere");
      assertEquals(3, run.report().history().size(), run.name());
      assertTrue(run.finalLoss() < 0.5 * start,
          run.name() + ": loss " + start + " -> " + run.finalLoss() + " after 3 epochs");
    }
    String table = OptimizerComparison.table(runs);
    assertEquals(8, table.split("\n").length, table);
    assertTrue(table.contains(String.format("%11.5f", runs.get(5).finalLoss())), table);

    BufferedImage image = read(OptimizerComparison.plot(runs, dir.resolve("plots")));
    assertEquals(900, image.getWidth());
    assertEquals(560, image.getHeight());
    assertTrue(inked(image) > 0.02, "ink " + inked(image));
  }

  @Test
  void schedulesFollowTheirDefinitions() throws Exception {
    Map<String, double[]> curves = SchedulePlot.curves(0.1f, 40);
    assertEquals(4, curves.size());
    double[] doubling = curves.get("epoch doubling (k = 5)");
    // 5 epochs at a, 10 at a/2, 20 at a/4, then a/8.
    assertEquals(0.1, doubling[0], 1e-7);
    assertEquals(0.1, doubling[4], 1e-7);
    assertEquals(0.05, doubling[5], 1e-7);
    assertEquals(0.05, doubling[14], 1e-7);
    assertEquals(0.025, doubling[15], 1e-7);
    assertEquals(0.025, doubling[34], 1e-7);
    assertEquals(0.0125, doubling[35], 1e-7);
    double[] step = curves.get("step decay a/2 every 10 epochs");
    assertArrayEquals(new double[] {0.1, 0.1, 0.05, 0.05, 0.025, 0.0125},
        new double[] {step[0], step[9], step[10], step[19], step[20], step[39]}, 1e-7);
    double[] inverse = curves.get("inverse time a/(t+1)");
    for (int e = 0; e < 40; e++) {
      assertEquals(0.1 / (e + 1), inverse[e], 1e-8, "epoch " + e);
    }
    BufferedImage image = read(SchedulePlot.plot(curves, dir));
    assertEquals(900, image.getWidth());
    assertEquals(560, image.getHeight());
    assertTrue(inked(image) > 0.02, "ink " + inked(image));
  }

  @Test
  void mainsWriteIntoTheGivenDirectory() throws Exception {
    Path out = dir.resolve("main");
    SchedulePlot.main(new String[] {out.toString()});
    read(out.resolve(SchedulePlot.FILE));
    OptimizerComparison.main(new String[] {out.toString(), "1"});
    read(out.resolve(OptimizerComparison.FILE));
  }
}
