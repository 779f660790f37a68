package dev.annonet.processor.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.annonet.kernels.Attention;
import org.junit.jupiter.api.Test;

/** The sizes the processor computes for attention without the runtime, against the kernel's. */
class CausalSelfAttentionNodeTest {

  @Test
  void workPerSampleIsTheKernelsWorkSizePerSample() {
    int[][] cases = {{1, 4, 1}, {8, 16, 2}, {16, 32, 4}, {7, 12, 3}, {64, 48, 6}};
    for (int[] c : cases) {
      for (int batch = 1; batch <= 3; batch++) {
        assertEquals(Attention.workSize(batch, c[0], c[1], c[2]),
            batch * CausalSelfAttentionNode.workPerSample(c[0], c[1], c[2]),
            "T " + c[0] + ", d " + c[1] + ", heads " + c[2] + ", batch " + batch);
      }
    }
  }

  @Test
  void nearestHeadsAreTheDivisorsAroundTheCount() {
    assertEquals("heads = 4 or heads = 8", CausalSelfAttentionNode.nearestHeads(64, 5));
    assertEquals("heads = 6 or heads = 10", CausalSelfAttentionNode.nearestHeads(30, 7));
    assertEquals("heads = 6", CausalSelfAttentionNode.nearestHeads(6, 7));
    assertEquals("heads = 1 or heads = 7", CausalSelfAttentionNode.nearestHeads(7, 3));
  }
}
