package dev.annonet.spark;

import java.io.Serializable;

/** One partition's part of a minibatch: its rows, their mean loss and mean gradient. */
final class Slice implements Serializable {
  private static final long serialVersionUID = 1L;

  final int partition;
  final int rows;
  final float loss;
  final float[] gradient;

  Slice(int partition, int rows, float loss, float[] gradient) {
    this.partition = partition;
    this.rows = rows;
    this.loss = loss;
    this.gradient = gradient;
  }
}
