package dev.annonet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Checks the scaling estimate: the claim-order schedule it adds up, that a pretending team cuts
 * each shared kernel as N threads would and runs every part once on the caller, that results
 * keep their bits, and that the caller's team is back in place afterwards.
 */
class ScalingEstimateTest {

  @AfterEach
  void oneThread() {
    Kernels.setThreads(1);
  }

  @Test
  void partsAreClaimedInOrderByTheFirstFreeThread() {
    long[] free = new long[8];
    long[] times = {5, 3, 3, 1};
    // Two threads: 5 | 3, then 3 goes to the thread free at 3 (ends 6), 1 to the one free at 5.
    assertEquals(6, ScalingEstimate.PartClock.makespan(0, times, 4, 2, free));
    assertEquals(12, ScalingEstimate.PartClock.makespan(0, times, 4, 1, free));
    assertEquals(5, ScalingEstimate.PartClock.makespan(0, times, 4, 4, free));
    assertEquals(5, ScalingEstimate.PartClock.makespan(0, times, 4, 8, free));
    // Three threads: 5 | 3 | 3, then 1 to a thread free at 3 (ends 4); the first part ends last.
    assertEquals(5, ScalingEstimate.PartClock.makespan(0, times, 4, 3, free));
    long[] uneven = {1, 1, 1, 9};
    // Claim order, not the best packing: the long last part starts when a thread comes free.
    assertEquals(10, ScalingEstimate.PartClock.makespan(0, uneven, 4, 3, free));
    // Work the parts share is divided first: two threads start their parts at 3, three at 2.
    assertEquals(9, ScalingEstimate.PartClock.makespan(6, times, 4, 2, free));
    assertEquals(7, ScalingEstimate.PartClock.makespan(6, times, 4, 3, free));
    assertEquals(18, ScalingEstimate.PartClock.makespan(6, times, 4, 1, free));
  }

  /** A task that records which parts ran, on which thread, and nests one task in part 0. */
  private static final class Recording extends TaskTeam.Task {
    final List<String> ran = new ArrayList<>();
    final TaskTeam.Task inner;

    Recording(TaskTeam.Task inner) {
      this.inner = inner;
    }

    @Override
    int parts(int threads) {
      return threads + 1;
    }

    @Override
    void run(int part, int parts) {
      ran.add(part + "/" + parts + " on " + Thread.currentThread().getName());
      if (inner != null && part == 0) {
        TaskTeam.run(inner);
      }
    }
  }

  @Test
  void everyPartOfEachSharedKernelRunsOnceOnTheCallerAsNThreadsWouldCutIt() {
    Recording inner = new Recording(null);
    Recording outer = new Recording(inner);
    ScalingEstimate e = ScalingEstimate.measure(() -> TaskTeam.run(outer), 3, 2, 4);
    String me = Thread.currentThread().getName();
    List<String> expected = new ArrayList<>();
    // One thread: the whole task as one part, the nested one too.
    expected.add("0/1 on " + me);
    // Four threads: five parts in order; the nested task runs alone (the team is busy).
    List<String> four = new ArrayList<>();
    for (int p = 0; p < 5; p++) {
      four.add(p + "/5 on " + me);
    }
    List<String> outerExpected = new ArrayList<>();
    List<String> innerExpected = new ArrayList<>();
    for (int round = 0; round < 3; round++) { // a warm-up round, then two
      for (int s = 0; s < 3; s++) {
        outerExpected.addAll(expected);
        innerExpected.addAll(expected);
      }
      for (int s = 0; s < 3; s++) {
        outerExpected.addAll(four);
        innerExpected.add("0/1 on " + me);
      }
    }
    assertEquals(outerExpected, outer.ran);
    assertEquals(innerExpected, inner.ran);
    assertEquals(0.0, e.tasksPerStep(1));
    assertEquals(1.0, e.tasksPerStep(4));
    assertEquals(0.0, e.partNanos(1));
    assertTrue(e.partNanos(4) > 0, "parts were timed");
  }

  @Test
  void productsKeepTheirBitsAndTheCallersTeamComesBack() {
    int m = 200;
    int n = 300;
    int k = 150;
    SplittableRandom rnd = new SplittableRandom(7);
    float[] a = Naive.random(rnd, m * k, 1);
    float[] bt = Naive.random(rnd, n * k, 1);
    float[] expected = new float[m * n];
    Gemm.multiplyAbt(m, n, k, a, 0, bt, 0, expected, 0, null, 0, Activation.IDENTITY, 0f);
    Kernels.setThreads(2);
    TaskTeam own = Kernels.team();
    List<float[]> seen = new ArrayList<>();
    ScalingEstimate e = ScalingEstimate.measure(() -> {
      float[] c = new float[m * n];
      Gemm.multiplyAbt(m, n, k, a, 0, bt, 0, c, 0, null, 0, Activation.IDENTITY, 0f);
      seen.add(c);
    }, 1, 1, 3, 8);
    assertEquals(6, seen.size()); // warm-up and one round, at 1, 3 and 8 threads
    for (float[] c : seen) {
      assertArrayEquals(expected, c);
    }
    assertEquals(1.0, e.tasksPerStep(3));
    assertEquals(1.0, e.tasksPerStep(8));
    assertSame(own, Kernels.team());
    assertEquals(2, Kernels.threads());
  }

  @Test
  void badArgumentsAreRefusedNamingTheFix() {
    IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
        () -> ScalingEstimate.measure(() -> { }, 1, 1, 1));
    assertTrue(one.getMessage().contains("must be 2 to 65535 (one thread is always measured)"),
        one.getMessage());
    IllegalArgumentException steps = assertThrows(IllegalArgumentException.class,
        () -> ScalingEstimate.measure(() -> { }, 0, 1, 2));
    assertTrue(steps.getMessage().contains("steps and rounds must be at least 1"),
        steps.getMessage());
    ScalingEstimate e = ScalingEstimate.measure(() -> { }, 1, 1, 2);
    IllegalArgumentException absent = assertThrows(IllegalArgumentException.class,
        () -> e.speedup(16));
    assertTrue(absent.getMessage().contains("no estimate for 16 threads; measured: [1, 2]"),
        absent.getMessage());
  }
}
