package dev.annonet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Dataset#fingerprint()} sees every value, the order of the rows and the shape. */
class DatasetFingerprintTest {

  @Test
  void equalDataHaveEqualFingerprints() {
    Dataset a = random(new Random(1), 40, 5, 2);
    Dataset b = Dataset.of(a.features(), 5, a.targets(), 2);
    assertEquals(a.fingerprint(), b.fingerprint());
    assertEquals(a.fingerprint(), a.fingerprint(), "kept once computed");
  }

  @Test
  void everyChangeOfOneValueOrOfTheOrderChangesIt() {
    Random random = new Random(20261203);
    Set<Long> seen = new HashSet<>();
    for (int trial = 0; trial < 2000; trial++) {
      int n = 1 + random.nextInt(30);
      int in = 1 + random.nextInt(6);
      int out = 1 + random.nextInt(3);
      Dataset d = random(random, n, in, out);
      long base = d.fingerprint();
      seen.add(base);

      // One bit of one feature or target (the sign, an exponent or a mantissa bit).
      float[] x = d.features();
      float[] y = d.targets();
      int bit = random.nextInt(32);
      if (random.nextBoolean()) {
        int i = random.nextInt(x.length);
        x[i] = flip(x[i], bit);
      } else {
        int i = random.nextInt(y.length);
        y[i] = flip(y[i], bit);
      }
      if (isFinite(x) && isFinite(y)) {
        assertNotEquals(base, Dataset.of(x, in, y, out).fingerprint(), "bit " + bit);
      }

      // Two different rows swapped.
      if (n > 1) {
        int i = random.nextInt(n);
        int j = (i + 1 + random.nextInt(n - 1)) % n;
        int[] order = new int[n];
        for (int r = 0; r < n; r++) {
          order[r] = r == i ? j : r == j ? i : r;
        }
        if (!sameRow(d, i, j)) {
          assertNotEquals(base, d.subset(order).fingerprint(), "rows " + i + " and " + j);
        }
      }

      // One row's numbers in the same order, split differently between features and targets.
      float[] row = new float[in + out];
      for (int k = 0; k < row.length; k++) {
        row[k] = (float) random.nextGaussian();
      }
      int split = 1 + random.nextInt(in + out - 1 > 0 ? in + out - 1 : 1);
      if (split < row.length && split != in) {
        Dataset one = Dataset.of(java.util.Arrays.copyOf(row, in), in,
            java.util.Arrays.copyOfRange(row, in, row.length), out);
        Dataset moved = Dataset.of(java.util.Arrays.copyOf(row, split), split,
            java.util.Arrays.copyOfRange(row, split, row.length), row.length - split);
        assertNotEquals(one.fingerprint(), moved.fingerprint(), in + "+" + out + " vs " + split);
      }
    }
    assertEquals(2000, seen.size(), "2,000 random data sets, 2,000 fingerprints");
  }

  private static boolean sameRow(Dataset d, int i, int j) {
    return java.util.Arrays.equals(d.row(i), d.row(j))
        && java.util.Arrays.equals(d.targetRow(i), d.targetRow(j));
  }

  private static float flip(float v, int bit) {
    return Float.intBitsToFloat(Float.floatToRawIntBits(v) ^ (1 << bit));
  }

  private static boolean isFinite(float[] values) {
    for (float v : values) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private static Dataset random(Random random, int n, int in, int out) {
    float[] x = new float[n * in];
    float[] y = new float[n * out];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = random.nextInt(4);
    }
    return Dataset.of(x, in, y, out);
  }
}
