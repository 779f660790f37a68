package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The trainer's shuffle generator draws exactly what {@code SplittableRandom} draws (so sample
 * orders did not change when it replaced it), and its one-long state resumes the stream.
 */
class ShuffleRandomTest {

  @Test
  void drawsTheSameNumbersAsSplittableRandom() {
    for (long seed : new long[] {0, 42, -7, 123456789, Long.MIN_VALUE}) {
      SplittableRandom expected = new SplittableRandom(seed);
      ShuffleRandom actual = new ShuffleRandom(seed);
      for (int i = 0; i < 200_000; i++) {
        // Small bounds, powers of two, and large bounds that force redraws.
        int bound = switch (i % 4) {
          case 0 -> 1 + i % 1000;
          case 1 -> 1 << (i % 31);
          case 2 -> Integer.MAX_VALUE - i;
          default -> (1 << 30) + 1 + i;
        };
        assertEquals(expected.nextInt(bound), actual.nextInt(bound),
            "seed " + seed + ", draw " + i + ", bound " + bound);
      }
      assertEquals(expected.nextInt(), actual.nextInt());
    }
  }

  @Test
  void theStateResumesTheStream() {
    ShuffleRandom a = new ShuffleRandom(99);
    for (int i = 0; i < 1000; i++) {
      a.nextInt(1 + i);
    }
    ShuffleRandom b = new ShuffleRandom(0);
    b.setState(a.state());
    for (int i = 0; i < 1000; i++) {
      assertEquals(a.nextInt(60_000), b.nextInt(60_000));
    }
  }

  @Test
  void refusesANonPositiveBound() {
    assertThrows(IllegalArgumentException.class, () -> new ShuffleRandom(1).nextInt(0));
  }
}
