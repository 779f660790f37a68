package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.GradientCheck;
import dev.annonet.Model;
import dev.annonet.testing.SoftmaxModel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The rule that cuts a batch into slices. What slicing computes is checked on generated models
 * (GeneratedGradientTest and ConcurrencyTest in the examples module).
 */
class BatchSlicesTest {

  /** W2's network, 64-128-10: 9,472 multiply-adds per sample. */
  private static final long W2 = 64 * 128 + 128 * 10;

  @Test
  void smallStepsAreCutIntoSlicesOfAtLeastMinRows() {
    assertEquals(1, BatchSlices.count(63, W2, 0), "under two slices' rows");
    assertEquals(2, BatchSlices.count(64, W2, 0), "W2's batch");
    assertEquals(3, BatchSlices.count(100, W2, 0));
    assertEquals(BatchSlices.MAX_SLICES, BatchSlices.count(4096, 10, 0), "at most MAX_SLICES");
  }

  @Test
  void stepsWhoseProductsSplitThemselvesAreNotSliced() {
    // W3 (784-256-256-10, batch 128) and W5 (LeNet-5, batch 64).
    assertEquals(1, BatchSlices.count(128, 784 * 256 + 256 * 256 + 256 * 10, 0));
    assertEquals(1, BatchSlices.count(64, 281_640, 0));
    assertEquals(1, BatchSlices.count(256, W2, 0), "2.4M multiply-adds split by column");
    assertTrue(128 * W2 <= BatchSlices.MAX_STEP_WORK);
    assertEquals(4, BatchSlices.count(128, W2, 0));
  }

  @Test
  void thePropertyTurnsSlicingOffOrFixesTheCount() {
    assertEquals(0, BatchSlices.override(null));
    assertEquals(0, BatchSlices.override(" auto "));
    assertEquals(-1, BatchSlices.override("off"));
    assertEquals(-1, BatchSlices.override("1"));
    assertEquals(4, BatchSlices.override("4"));
    assertEquals(1, BatchSlices.count(64, W2, -1), "off");
    assertEquals(4, BatchSlices.count(1024, 1 << 20, 4), "a fixed count ignores the size");
    assertEquals(1, BatchSlices.count(3, W2, 4), "fewer rows than slices");
    for (String bad : new String[] {"0", "65", "two", "-3"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> BatchSlices.override(bad));
      assertTrue(e.getMessage().contains("annonet.kernels.slices must be auto, off or a number"
          + " of slices from 1 to 64, got '" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void aFixedCountAboveTheRulesMostIsTheWeightedSumOfItsSlices() {
    // -Dannonet.kernels.slices=16: more slices than MAX_SLICES, of 6 or 7 rows each.
    Model model = new SoftmaxModel(4, 3);
    model.initialize(2);
    float[] params = model.parameters();
    BatchSlices slices = new BatchSlices(params, model.gradients(), 0, shared -> {
      Model replica = new SoftmaxModel(4, 3);
      System.arraycopy(shared, 0, replica.parameters(), 0, shared.length);
      return replica;
    }, null, 16);
    int batch = 100;
    float[][] data = GradientCheck.randomBatch(model, batch, 5);
    assertTrue(slices.splits(batch));
    float loss = slices.lossAndGradient(data[0], data[1], batch);

    float[] expected = new float[params.length];
    double expectedLoss = 0;
    for (int s = 0; s < 16; s++) {
      int r0 = batch * s / 16;
      int r1 = batch * (s + 1) / 16;
      Model alone = model.copy();
      float sliceLoss = alone.lossAndGradient(Arrays.copyOfRange(data[0], r0 * 4, r1 * 4),
          Arrays.copyOfRange(data[1], r0, r1), r1 - r0);
      float w = (float) (r1 - r0) / batch;
      float[] g = alone.gradients();
      for (int k = 0; k < expected.length; k++) {
        expected[k] = s == 0 ? w * g[k] : expected[k] + w * g[k];
      }
      expectedLoss += (double) (r1 - r0) / batch * sliceLoss;
    }
    assertEquals((float) expectedLoss, loss, "loss");
    assertArrayEquals(expected, model.gradients(), "gradient");
  }
}
