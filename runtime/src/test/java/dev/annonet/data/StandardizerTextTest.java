package dev.annonet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Standardizer#encode} and {@link Standardizer#parse}: exact round trip, clear refusals. */
class StandardizerTextTest {

  @Test
  void roundTripsEveryFloatExactly() {
    Random random = new Random(3);
    for (int trial = 0; trial < 500; trial++) {
      int n = 1 + random.nextInt(20);
      int width = 1 + random.nextInt(8);
      float[] x = new float[n * width];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6));
      }
      Standardizer s = Standardizer.fitFeatures(Dataset.of(x, width, new float[n], 1));
      Standardizer back = Standardizer.parse(s.encode());
      assertArrayEquals(s.mean(), back.mean());
      assertArrayEquals(s.std(), back.std());
      float[] a = x.clone();
      float[] b = x.clone();
      s.applyInPlace(a);
      back.applyInPlace(b);
      assertArrayEquals(a, b);
    }
  }

  @Test
  void refusesMalformedText() {
    assertEquals("a standardizer is written mean=m0,m1,...;std=s0,s1,... but this text starts"
        + " 'mean=1,2'", refusal("mean=1,2"));
    assertEquals("the standardizer has 2 means but 1 standard deviations: one of each per column",
        refusal("mean=1,2;std=1"));
    assertEquals("the standardizer's standard deviation of column 1 is 0.0: it must be"
        + " positive", refusal("mean=1,2;std=1,0"));
    assertEquals("the standardizer's mean of column 0 is 'x', not a number",
        refusal("mean=x;std=1"));
    assertEquals("the standardizer's mean of column 0 is NaN: it must be finite",
        refusal("mean=NaN;std=1"));
  }

  private static String refusal(String text) {
    return assertThrows(IllegalArgumentException.class, () -> Standardizer.parse(text))
        .getMessage();
  }
}
