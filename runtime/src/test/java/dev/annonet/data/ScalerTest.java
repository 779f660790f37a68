package dev.annonet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScalerTest {

  private final Dataset train = Dataset.regression(
      new float[][] {{1, 10, 5}, {2, 20, 5}, {3, 30, 5}, {4, 40, 5}},
      new float[] {100, 200, 300, 400});

  @Test
  void standardizerFitsMeanAndPopulationStd() {
    Standardizer s = Standardizer.fitFeatures(train);
    assertArrayEquals(new float[] {2.5f, 25, 5}, s.mean());
    float std0 = (float) Math.sqrt(1.25);
    // The constant column keeps scale 1 instead of dividing by zero.
    assertArrayEquals(new float[] {std0, 10 * std0, 1}, s.std(), 1e-6f);

    Dataset scaled = s.applyToFeatures(train);
    for (int c = 0; c < 2; c++) {
      double sum = 0;
      double squares = 0;
      for (int i = 0; i < scaled.size(); i++) {
        sum += scaled.feature(i, c);
        squares += scaled.feature(i, c) * scaled.feature(i, c);
      }
      assertEquals(0, sum / 4, 1e-6);
      assertEquals(1, squares / 4, 1e-6);
    }
    assertEquals(0, scaled.feature(3, 2));
    // Targets are untouched by the feature scaler.
    assertArrayEquals(train.targets(), scaled.targets());
  }

  @Test
  void standardizerAppliesTrainingStatisticsToOtherDataAndInverts() {
    Standardizer s = Standardizer.fitTargets(train);
    Dataset test = Dataset.regression(new float[][] {{0, 0, 0}}, new float[] {250});
    Dataset scaled = s.applyToTargets(test);
    assertEquals(0, scaled.target(0, 0), 1e-6);
    float[] predictions = {scaled.target(0, 0), 1};
    s.inverseInPlace(predictions);
    assertEquals(250, predictions[0], 1e-4);
    assertEquals(250 + Math.sqrt(12500), predictions[1], 1e-3);
  }

  @Test
  void minMaxScalesToUnitInterval() {
    MinMaxScaler m = MinMaxScaler.fitFeatures(train);
    Dataset scaled = m.applyToFeatures(train);
    assertArrayEquals(new float[] {0, 0, 0}, scaled.row(0));
    assertArrayEquals(new float[] {1, 1, 0}, scaled.row(3));
    assertEquals(1f / 3, scaled.feature(1, 0), 1e-6);
    assertArrayEquals(new float[] {1, 10, 5}, m.min());
  }

  @Test
  void widthMismatchIsExplained() {
    Standardizer s = Standardizer.fitFeatures(train);
    Dataset narrow = Dataset.regression(new float[][] {{1, 2}}, new float[] {3});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> s.applyToFeatures(narrow));
    assertEquals("this scaler was fitted on 3 columns but the dataset has 2 features: fit and "
        + "apply it on data with the same columns", e.getMessage());
  }
}
