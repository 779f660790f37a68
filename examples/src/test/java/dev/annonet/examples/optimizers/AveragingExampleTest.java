package dev.annonet.examples.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** At a constant step, the averaged iterate ends much closer to the optimum than the last. */
class AveragingExampleTest {

  private static final int STEPS = 4000;
  private static final int SEEDS = 10;

  @Test
  void optimumSolvesTheNormalEquations() {
    AveragingExample.NoisyLeastSquares f = new AveragingExample.NoisyLeastSquares(3);
    // At the least-squares solution the full gradient A^T (A x - b) / n vanishes.
    for (int k = 0; k < AveragingExample.DIM; k++) {
      double g = 0;
      for (int i = 0; i < AveragingExample.ROWS; i++) {
        double r = -f.b[i];
        for (int c = 0; c < AveragingExample.DIM; c++) {
          r += f.a[i][c] * f.optimum[c];
        }
        g += f.a[i][k] * r;
      }
      assertEquals(0, g / AveragingExample.ROWS, 1e-12, "gradient component " + k);
    }
  }

  @Test
  void averagedIterateIsClearlyCloserThanTheLastOverSeeds() {
    double last = 0;
    double weighted = 0;
    double tail = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      double[] d = AveragingExample.run(seed, STEPS).finals();
      assertTrue(d[1] < d[0] && d[2] < d[0], "seed " + seed + ": last " + d[0] + ", weighted "
          + d[1] + ", tail " + d[2]);
      last += d[0] / SEEDS;
      weighted += d[1] / SEEDS;
      tail += d[2] / SEEDS;
    }
    // Expected sizes (rows with identity covariance, so the Hessian is about I, noise sigma = 1,
    // d = 5, alpha = 0.05, T = 4000): SGD's last iterate settles where E|theta - theta*|^2 is
    // about alpha sigma^2 d / 2, a distance near 0.35; the average's error is about
    // sqrt(sigma^2 d / T) = 0.035 from the noise plus |theta_0 - theta*| / (alpha T), about
    // 0.011, from the start: a ratio near 0.11. Requiring under 0.3 leaves a factor of about 2.7
    // for the spread of a 10-seed mean (each distance varies by about a third around its mean).
    assertTrue(weighted < 0.3 * last, "mean distances: last " + last + ", weighted " + weighted);
    assertTrue(tail < 0.3 * last, "mean distances: last " + last + ", tail " + tail);
  }

  @Test
  void plotIsWritten(@TempDir Path dir) throws Exception {
    Path file = AveragingExample.plot(AveragingExample.run(1, 600), dir);
    BufferedImage image = ImageIO.read(file.toFile());
    assertNotNull(image, "ImageIO cannot decode " + file);
    assertEquals(900, image.getWidth());
    assertEquals(560, image.getHeight());
  }
}
