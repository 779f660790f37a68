package dev.annonet.train;

/**
 * A minibatch's mean loss and gradient put together from slices of its rows, in the order the
 * slices are added: what data-parallel training computes when each partition of the data
 * contributes the part of the minibatch it holds.
 *
 * <p>A slice brings its row count {@code c}, its mean loss and its mean gradient (what
 * {@link dev.annonet.Model#lossAndGradient} gives for those rows). The sums of {@code c} times
 * them are kept in double, added in the order of the {@link #add} calls, and the results are
 * those sums divided by the total row count, rounded to float. So the result depends only on
 * the slices and their order, never on where they were computed, and a single slice comes back
 * bit for bit, signed zeros included: {@code c} times a float is exact in double (for
 * {@code c < 2^29}) and the division undoes it exactly. Allocates only in the constructor.
 */
public final class GradientSum {

  private final double[] sums;
  private double lossSum;
  private int rows;

  /** An empty sum over {@code parameters} gradient entries. */
  public GradientSum(int parameters) {
    this.sums = new double[parameters];
  }

  /** Forgets every slice added. */
  public void clear() {
    rows = 0;
  }

  /**
   * Adds a slice of {@code rows} rows (at least 1) whose mean loss is {@code loss} and mean
   * gradient {@code gradient}.
   */
  public void add(int rows, float loss, float[] gradient) {
    if (rows < 1) {
      throw new IllegalArgumentException("a slice needs at least 1 row, got " + rows);
    }
    if (gradient.length != sums.length) {
      throw new IllegalArgumentException("the slice's gradient has " + gradient.length
          + " entries but this sum holds " + sums.length);
    }
    // The first slice is stored rather than added to zero, which keeps a -0.0 as -0.0.
    if (this.rows == 0) {
      lossSum = (double) loss * rows;
      for (int i = 0; i < sums.length; i++) {
        sums[i] = (double) gradient[i] * rows;
      }
    } else {
      lossSum += (double) loss * rows;
      for (int i = 0; i < sums.length; i++) {
        sums[i] += (double) gradient[i] * rows;
      }
    }
    this.rows += rows;
  }

  /** Rows added so far. */
  public int rows() {
    return rows;
  }

  /** The mean loss over every row added. */
  public float loss() {
    return (float) (lossSum / rows);
  }

  /** Writes the mean gradient over every row added into {@code into}. */
  public void meanGradient(float[] into) {
    if (rows == 0) {
      throw new IllegalStateException("no slice added: a minibatch has at least one row");
    }
    for (int i = 0; i < sums.length; i++) {
      into[i] = (float) (sums[i] / rows);
    }
  }
}
