package dev.annonet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
