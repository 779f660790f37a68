package dev.annonet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The ceiling table sets one training's 2-thread speed-up beside two independent ones'. */
class CeilingRowTest {

  @Test
  void speedUpCeilingAndShareFollowFromTheThreeRates() {
    // 2T / 1T = 1.5, ceiling = 1.9, share = 1.5 / 1.9 = 79%.
    assertEquals("| W3 | 40,000 | 60,000 | 76,000 | 1.50 | 1.90 | 79% |",
        RunBenchmarks.ceilingRow("W3", 40_000, 60_000, 76_000));
  }

  @Test
  void aMissingRateLeavesItsFiguresBlank() {
    assertEquals("| W5 | 10,000 | - | 19,000 | - | 1.90 | - |",
        RunBenchmarks.ceilingRow("W5", 10_000, Double.NaN, 19_000));
  }

  @Test
  void aCeilingAboveTwoCoresWarnsThatTheOneThreadFigureIsOff() {
    String w = RunBenchmarks.ceilingWarning("W3", 25_270, 74_460);
    assertTrue(w.startsWith("W3: two independent trainings ran 2.95x one on 1 thread"), w);
    assertTrue(w.contains("not to be trusted"), w);
  }

  @Test
  void aCeilingOfTwoOrLessOrAMissingRateGivesNoWarning() {
    assertNull(RunBenchmarks.ceilingWarning("W3", 40_000, 80_000));
    assertNull(RunBenchmarks.ceilingWarning("W3", 40_000, 61_200));
    assertNull(RunBenchmarks.ceilingWarning("W3", Double.NaN, 61_200));
    assertNull(RunBenchmarks.ceilingWarning("W3", 40_000, Double.NaN));
  }
}
