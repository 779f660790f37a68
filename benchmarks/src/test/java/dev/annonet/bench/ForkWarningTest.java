package dev.annonet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The runner warns when one fork's median is far from another's. */
class ForkWarningTest {

  @Test
  void forksWithinTheSpreadGiveNoWarning() {
    assertNull(RunBenchmarks.forkWarning("W4 2T", new double[] {10, 14.9}, 64));
    assertNull(RunBenchmarks.forkWarning("W4 2T", new double[] {10}, 64));
  }

  @Test
  void aForkTenTimesSlowerIsNamedWithEachForksRate() {
    String w = RunBenchmarks.forkWarning("W4 2T", new double[] {32, 3.2, 31}, 64);
    assertTrue(w.startsWith("W4 2T: forks disagree by 10.0x"), w);
    assertTrue(w.contains("2,048, 205, 1,984"), w);
  }

  @Test
  void theThresholdIsOneAndAHalf() {
    assertEquals(1.5, RunBenchmarks.FORK_SPREAD);
    assertTrue(RunBenchmarks.forkWarning("W1 1T", new double[] {10, 15.01}, 1) != null);
  }
}
