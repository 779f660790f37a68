package dev.annonet.spark;

/** How the driver combines the partitions' gradients of a minibatch. */
public enum Aggregation {

  /**
   * Collects one gradient per partition and adds them on the driver in partition order, as
   * {@link dev.annonet.train.GradientSum} defines: bit for bit reproducible, and equal to
   * {@code Trainer.partitions(sizes)}. The driver receives one gradient per non-empty partition
   * per update, which limits it when there are many partitions or parameters.
   */
  IN_ORDER,

  /**
   * Adds the partitions' row-weighted gradients in double with Spark's {@code treeAggregate}, so
   * executors combine partial sums and the driver receives a few of them. The sums are added in
   * whatever order tasks finish and the tree is shaped, so runs are not bit for bit reproducible:
   * each mean gradient equals {@link #IN_ORDER}'s after rounding to float, or differs from it by
   * one float rounding step (an entry whose slices nearly cancel may differ by a few double
   * rounding steps of the slices' size instead). Training then drifts apart from the in-order run
   * as any rounding difference does.
   */
  TREE
}
