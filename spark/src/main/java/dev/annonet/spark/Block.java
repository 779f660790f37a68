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
}
