package dev.annonet.processor.shapes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Layouts of several named tensors back to back, as an LSTM's, beside weight-and-bias ones. */
class ParameterLayoutTest {
  @Test
  void partsLieBackToBackAsOneWeightBlockWithoutBias() {
    ParameterLayout.Part ih = new ParameterLayout.Part("weight_ih_l0", new int[] {8, 3});
    ParameterLayout.Part hh = new ParameterLayout.Part("weight_hh_l0", new int[] {8, 2});
    ParameterLayout.Part bih = new ParameterLayout.Part("bias_ih_l0", new int[] {8});
    ParameterLayout.Part bhh = new ParameterLayout.Part("bias_hh_l0", new int[] {8});
    ParameterLayout layout = ParameterLayout.ofParts("rnn", ih, hh, bih, bhh).at(100);

    assertTrue(layout.hasParts());
    assertEquals(56, layout.count());
    assertArrayEquals(new int[] {56}, layout.weightShape());
    assertEquals(100, layout.weightOffset());
    assertEquals(-1, layout.biasOffset());
    assertEquals(0, layout.offsetInLayer(ih));
    assertEquals(24, layout.offsetInLayer(hh));
    assertEquals(40, layout.offsetInLayer(bih));
    assertEquals(48, layout.offsetInLayer(bhh));
    assertThrows(IllegalArgumentException.class,
        () -> layout.offsetInLayer(new ParameterLayout.Part("weight_ih_l0", new int[] {8, 3})));
  }

  @Test
  void aWeightAndBiasLayoutHasNoParts() {
    ParameterLayout dense = ParameterLayout.of("f1", new int[] {4, 3}, new int[] {4}).at(7);
    assertFalse(dense.hasParts());
    assertEquals(16, dense.count());
    assertEquals(19, dense.biasOffset());
  }
}
