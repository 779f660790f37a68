package dev.annonet.train;

/**
 * The order in which the trainer visits the training rows: each epoch reshuffles the previous
 * epoch's order (Fisher-Yates) with a generator seeded once, so the whole sequence of orders
 * depends only on the seed and the number of rows.
 *
 * <p>Public so that a trainer that holds its rows elsewhere (a cluster) visits them in exactly
 * the order {@link Trainer} would; {@link #state()} and {@link #restore} carry it through a
 * checkpoint.
 */
public final class SampleOrder {

  private final int[] order;
  private final ShuffleRandom random;

  /** The order of {@code rows} rows, starting as {@code 0, 1, ..., rows - 1}. */
  public SampleOrder(int rows, long seed) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows = " + rows + " is negative");
    }
    this.order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    this.random = new ShuffleRandom(seed);
  }

  /** Number of rows ordered. */
  public int size() {
    return order.length;
  }

  /** Reshuffles for the next epoch and returns the order (live: the next call changes it). */
  public int[] next() {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** The current order (live: {@link #next()} changes it). */
  public int[] current() {
    return order;
  }

  /** The generator's whole state, for checkpoints. */
  public long state() {
    return random.state();
  }

  /**
   * Continues from a checkpoint: the generator's {@code state} and the last {@code order} (a
   * permutation of the rows, copied; the caller checks it).
   */
  public void restore(long state, int[] order) {
    if (order.length != this.order.length) {
      throw new IllegalArgumentException("the saved order has " + order.length
          + " rows, this one " + this.order.length);
    }
    random.setState(state);
    System.arraycopy(order, 0, this.order, 0, order.length);
  }
}
