package dev.annonet.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.annonet.data.Dataset;
import org.junit.jupiter.api.Test;

class ExampleDataTest {

  @Test
  void digitsAreScaledClassIndices() {
    Dataset d = ExampleData.digits();
    assertEquals(1797, d.size());
    assertEquals(64, d.inputSize());
    assertEquals(10, d.classCount());
    float max = 0;
    for (float v : d.features()) {
      max = Math.max(max, v);
    }
    assertEquals(1f, max);
    // First row of the file: pixel p2 is 5 (of 16), the digit is 0.
    assertEquals(5f / 16, d.feature(0, 2));
    assertEquals(0, d.label(0));
  }

  @Test
  void diabetesHasTheProgressionTarget() {
    Dataset d = ExampleData.diabetes();
    assertEquals(442, d.size());
    assertEquals(10, d.inputSize());
    assertEquals(151, d.target(0, 0));
    assertEquals(32.1f, d.feature(0, 2));
  }

  @Test
  void licenceTravelsWithTheData() {
    assertNotNull(ExampleData.class.getResource("LICENSES.txt"));
  }
}
