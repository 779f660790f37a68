package dev.annonet.spark;

import java.io.Serializable;

/** The rows of one partition, packed once into flat row-major float arrays and cached. */
final class Block implements Serializable {
  private static final long serialVersionUID = 1L;

  final int partition;
  final int rows;
  final float[] x;
  final float[] y;

  Block(int partition, int rows, float[] x, float[] y) {
    this.partition = partition;
    this.rows = rows;
    this.x = x;
    this.y = y;
  }

  /**
   * The class index of each row, the first of its {@code targetSize} targets, for a stratified
   * split; a target that is not a whole number of at least 0 is refused naming the row.
   */
  int[] labels(int targetSize) {
    int[] labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      float label = y[r * targetSize];
      if (label != Math.rint(label) || label < 0) {
        throw new IllegalArgumentException("row " + r + " of partition " + partition
            + " has target " + label + ", which is not a class index (0 or 1): validationSplit "
            + "keeps each class's share, so give class labels or validation(Dataset)");
      }
      labels[r] = (int) label;
    }
    return labels;
  }

  /**
   * The rows of this block that are ({@code held} true) or are not among {@code heldOut}, the
   * sorted numbers of rows counted across partitions, this block's first being {@code first}.
   */
  Block select(int[] heldOut, int first, boolean held) {
    int in = rows == 0 ? 0 : x.length / rows;
    int out = rows == 0 ? 0 : y.length / rows;
    int from = lowerBound(heldOut, first);
    int to = lowerBound(heldOut, first + rows);
    int count = held ? to - from : rows - (to - from);
    float[] sx = new float[count * in];
    float[] sy = new float[count * out];
    int k = 0;
    int next = from;
    for (int r = 0; r < rows; r++) {
      boolean isHeld = next < to && heldOut[next] == first + r;
      if (isHeld) {
        next++;
      }
      if (isHeld == held) {
        System.arraycopy(x, r * in, sx, k * in, in);
        System.arraycopy(y, r * out, sy, k * out, out);
        k++;
      }
    }
    return new Block(partition, count, sx, sy);
  }

  /** The first index of {@code sorted} whose value is at least {@code value}. */
  static int lowerBound(int[] sorted, int value) {
    int i = java.util.Arrays.binarySearch(sorted, value);
    return i >= 0 ? i : -i - 1;
  }
}
