package dev.annonet.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each schedule against hand-computed step sizes, and its argument checks. */
class ScheduleTest {

  private static final float A = 0.8f;

  @Test
  void constant() {
    Schedule s = Schedule.constant();
    assertEquals(A, s.stepSize(A, 0, 0));
    assertEquals(A, s.stepSize(A, 17, 12345));
  }

  @Test
  void inverseTimeDividesByIterationPlusOne() {
    Schedule s = Schedule.inverseTime();
    assertEquals(0.8f, s.stepSize(A, 0, 0));
    assertEquals(0.4f, s.stepSize(A, 0, 1));
    assertEquals(0.2f, s.stepSize(A, 5, 3));
    assertEquals(0.08f, s.stepSize(A, 9, 9));
  }

  @Test
  void inverseTimePerEpochIgnoresTheIteration() {
    Schedule s = Schedule.inverseTimePerEpoch();
    assertEquals(0.8f, s.stepSize(A, 0, 40));
    assertEquals(0.16f, s.stepSize(A, 4, 0));
    assertEquals(0.16f, s.stepSize(A, 4, 999));
  }

  @Test
  void stepDecayMultipliesByGammaEveryKEpochs() {
    Schedule s = Schedule.stepDecay(0.5, 3);
    float[] expected = {0.8f, 0.8f, 0.8f, 0.4f, 0.4f, 0.4f, 0.2f, 0.2f, 0.2f, 0.1f};
    for (int e = 0; e < expected.length; e++) {
      assertEquals(expected[e], s.stepSize(A, e, 0), "epoch " + e);
    }
    assertEquals(0.8f, Schedule.stepDecay(1, 1).stepSize(A, 50, 0));
    assertEquals(A * 0.1 * 0.1, Schedule.stepDecay(0.1, 2).stepSize(A, 5, 0), 1e-8);
  }

  @Test
  void epochDoublingHalvesAfterPhasesOfDoublingLength() {
    // k = 2: epochs 0-1 at a, 2-5 (4 epochs) at a/2, 6-13 (8) at a/4, 14-29 (16) at a/8.
    Schedule s = Schedule.epochDoubling(2);
    float[] expected = {0.8f, 0.8f, 0.4f, 0.4f, 0.4f, 0.4f, 0.2f, 0.2f, 0.2f, 0.2f, 0.2f, 0.2f,
        0.2f, 0.2f, 0.1f};
    for (int e = 0; e < expected.length; e++) {
      assertEquals(expected[e], s.stepSize(A, e, 0), "epoch " + e);
    }
    assertEquals(0.1f, s.stepSize(A, 29, 0));
    assertEquals(0.05f, s.stepSize(A, 30, 0));
    // k = 1: 1 epoch at a, 2 at a/2, 4 at a/4.
    Schedule one = Schedule.epochDoubling(1);
    assertEquals(0.8f, one.stepSize(A, 0, 0));
    assertEquals(0.4f, one.stepSize(A, 2, 0));
    assertEquals(0.2f, one.stepSize(A, 3, 0));
    assertEquals(0.2f, one.stepSize(A, 6, 0));
    assertEquals(0.1f, one.stepSize(A, 7, 0));
  }

  @Test
  void cosineAnnealsToZero() {
    Schedule s = Schedule.cosine(10);
    assertEquals(0.8f, s.stepSize(A, 0, 0));
    assertEquals(0.4f, s.stepSize(A, 5, 0), 1e-7);
    // (1 + cos(pi / 5)) / 2 = (1 + 0.8090170) / 2 = 0.9045085.
    assertEquals(0.8f * 0.9045085f, s.stepSize(A, 2, 0), 1e-6);
    assertEquals(0f, s.stepSize(A, 10, 0), 1e-7);
    assertEquals(0f, s.stepSize(A, 25, 0), 1e-7);
  }

  @Test
  void warmupRampsLinearlyThenHandsOver() {
    Schedule s = Schedule.warmup(4, Schedule.constant());
    assertEquals(0.2f, s.stepSize(A, 0, 0));
    assertEquals(0.4f, s.stepSize(A, 1, 0));
    assertEquals(0.8f, s.stepSize(A, 3, 0));
    assertEquals(0.8f, s.stepSize(A, 4, 0));
    Schedule decay = Schedule.warmup(2, Schedule.stepDecay(0.5, 3));
    assertEquals(0.4f, decay.stepSize(A, 0, 0));
    assertEquals(0.8f, decay.stepSize(A, 2, 0));
    assertEquals(0.4f, decay.stepSize(A, 3, 0));
  }

  @Test
  void badArgumentsAreRejectedWithTheRange() {
    assertMessage(() -> Schedule.stepDecay(0, 1), "Schedule.stepDecay: gamma = 0.0", "(0, 1]");
    assertMessage(() -> Schedule.stepDecay(1.5, 1), "gamma = 1.5", "(0, 1]");
    assertMessage(() -> Schedule.stepDecay(Double.NaN, 1), "gamma = NaN", "(0, 1]");
    assertMessage(() -> Schedule.stepDecay(0.5, 0), "Schedule.stepDecay: k = 0", "[1, ");
    assertMessage(() -> Schedule.epochDoubling(-2), "Schedule.epochDoubling: k = -2", "[1, ");
    assertMessage(() -> Schedule.cosine(0), "Schedule.cosine: totalEpochs = 0", "[1, ");
    assertMessage(() -> Schedule.warmup(0, Schedule.constant()), "warmup: epochs = 0", "[1, ");
    assertMessage(() -> Schedule.warmup(3, null), "then must not be null", "");
  }

  private static void assertMessage(Runnable r, String start, String range) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(start) && e.getMessage().contains(range),
        "message was: " + e.getMessage());
  }
}
