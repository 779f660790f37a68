package dev.annonet.kernels;

import dev.annonet.Model;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Runs one forward and backward pass of a large batch as fixed slices side by side: each slice
 * of rows on its own replica of the model (sharing the parameters, owning its buffers and its
 * gradient), the replicas on the kernel threads, their gradients then summed in slice order,
 * each weighted by its share of the batch. This is data parallelism inside one step, for the
 * networks whose products are too small to split by column (W2's first, 64 x 64 x 128, takes
 * 23 microseconds on a Zen 3 core): one hand-over per step instead of one per product.
 *
 * <p>The slices are fixed by the batch size and the network's size ({@link #count}), never by
 * the thread count, and each slice runs the same code whichever thread runs it, so the gradient
 * is bit-identical at any thread count. It is not bit-identical to the unsplit pass's: a product
 * that sums over the batch sums each slice on its own, then the slices.
 *
 * <p>Only networks whose layers treat every sample on its own may be sliced: batch
 * normalization (batch statistics) and dropout (one random stream per model) may not, and the
 * generated models of such networks never create a {@code BatchSlices}. Generated code calls
 * this class; there is no reason to call it directly.
 *
 * <p>On one thread there is nothing to run side by side, and running the slices one after
 * another packs every weight once per slice. A model that supplies a {@link WholeBatch} pass
 * then runs the batch whole instead: the forward pass and the input gradients on all rows at
 * once, which gives each row the bits of its slice's own pass (the matrix products pick their
 * loops and their order of sums by the columns and the sum's length, not by the rows), and
 * each slice's loss and parameter gradient from its rows alone. The gradients are then summed
 * as above, so the result is the same bits as the slices' own passes.
 *
 * <p>The system property {@code annonet.kernels.slices} overrides the rule: {@code off} never
 * slices, a whole number N cuts every batch of at least N rows into N slices. Results then
 * depend on the setting, still not on the thread count.
 */
public final class BatchSlices {

  /** The system property that overrides {@link #count}'s rule. */
  static final String PROPERTY = "annonet.kernels.slices";

  /** The fewest rows a slice gets: below this the products lose more than a thread gains. */
  static final int MIN_ROWS = 32;

  /** The most slices a batch is cut into. */
  static final int MAX_SLICES = 8;

  /**
   * The most multiply-adds of a sliced batch's forward pass. Up to about this size a step's
   * products are too small to be split by column ({@link GemmTask#MIN_PART_WORK} per part), so
   * slices are the only way to a second thread; beyond it the products split themselves, with
   * no gradients to sum and no smaller products (W3, W4, and W5 whose convolutions split by
   * image, measured no faster sliced).
   */
  static final long MAX_STEP_WORK = 1 << 21;

  /** The override: 0 for the rule, -1 for never, else the fixed slice count. */
  private static final int OVERRIDE = override(System.getProperty(PROPERTY));

  private final float[] params;
  private final float[] grads;
  private final long multiplyAdds;
  /** {@link #OVERRIDE}, or a test's own setting. */
  private final int override;
  private final Function<float[], Model> replicaOf;
  /** The model's pass over the whole batch with the slices' gradients apart, or null. */
  private final WholeBatch wholeBatch;
  private Model[] replicas = new Model[0];
  /** Each slice's rows of the batch, index 0 unused (the first slice reads the batch itself). */
  private float[][] xs = new float[0][];
  private float[][] ys = new float[0][];
  private float[] losses = new float[0];
  /** Slice s holds batch rows {@code [rows[s], rows[s + 1])}. */
  private int[] rows = new int[1];
  private final Passes passes = new Passes();
  private final Sum sum = new Sum();

  /** The call in flight: its batch, cut into count slices; x and y are dropped after it. */
  private float[] x;
  private float[] y;
  private int batch;
  private int count;

  /**
   * Slices for the model whose parameters are {@code params}, whose gradient goes to {@code
   * grads} and whose forward pass takes {@code multiplyAdds} per sample; {@code replicaOf} makes
   * a replica sharing the parameters (a replica never slices); {@code wholeBatch}, if not null,
   * is the model's pass for one thread ({@link WholeBatch}).
   */
  public BatchSlices(float[] params, float[] grads, long multiplyAdds,
      Function<float[], Model> replicaOf, WholeBatch wholeBatch) {
    this(params, grads, multiplyAdds, replicaOf, wholeBatch, OVERRIDE);
  }

  BatchSlices(float[] params, float[] grads, long multiplyAdds,
      Function<float[], Model> replicaOf, WholeBatch wholeBatch, int override) {
    this.params = params;
    this.grads = grads;
    this.multiplyAdds = multiplyAdds;
    this.replicaOf = replicaOf;
    this.wholeBatch = wholeBatch;
    this.override = override;
  }

  /**
   * A model's training pass over a whole batch that keeps each slice's results apart: for each
   * slice s, its loss goes to {@link #setSliceLoss} and its parameter gradient, from its rows
   * ({@link #sliceStart}, {@link #sliceRows}) alone, into {@link #sliceGradients}; the
   * forward pass and the input gradients may run on all rows at once. Generated models of
   * networks of dense layers, embeddings and layer norms supply one.
   */
  @FunctionalInterface
  public interface WholeBatch {
    void lossAndGradient(float[] x, float[] y, int batch, BatchSlices slices);
  }

  /**
   * How many slices a batch of {@code batch} rows of a network of {@code multiplyAdds} per
   * sample is cut into: 1 (no slicing) for batches under twice {@link #MIN_ROWS} rows and for
   * batches of more than {@link #MAX_STEP_WORK} multiply-adds, else as many slices of at least
   * {@link #MIN_ROWS} rows as fit, at most {@link #MAX_SLICES}. The property
   * {@code annonet.kernels.slices} overrides.
   */
  public static int count(int batch, long multiplyAdds) {
    return count(batch, multiplyAdds, OVERRIDE);
  }

  static int count(int batch, long multiplyAdds, int override) {
    if (override < 0) {
      return 1;
    }
    if (override > 0) {
      return batch >= override ? override : 1;
    }
    if (batch * multiplyAdds > MAX_STEP_WORK) {
      return 1;
    }
    return Math.max(1, Math.min(MAX_SLICES, batch / MIN_ROWS));
  }

  /** Parses the property's value: null or "auto" 0, "off" -1, else a slice count. */
  static int override(String value) {
    if (value == null || value.isBlank() || value.trim().equals("auto")) {
      return 0;
    }
    if (value.trim().equals("off")) {
      return -1;
    }
    int n;
    try {
      n = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      n = 0;
    }
    if (n < 1 || n > 64) {
      throw new IllegalArgumentException("system property " + PROPERTY + " must be auto, off or"
          + " a number of slices from 1 to 64, got '" + value + "'; unset it to let the batch"
          + " and the network's size decide");
    }
    return n == 1 ? -1 : n;
  }

  /** Whether a batch of {@code batch} rows is sliced. */
  public boolean splits(int batch) {
    return count(batch, multiplyAdds, override) > 1;
  }

  /**
   * The mean loss over the batch, and its gradient into the model's gradient, computed slice by
   * slice ({@link #count} slices, which must be at least 2).
   */
  public float lossAndGradient(float[] x, float[] y, int batch) {
    int count = count(batch, multiplyAdds, override);
    if (count < 2) {
      throw new IllegalArgumentException(
          "a batch of " + batch + " rows is not sliced: ask splits(batch) first");
    }
    prepare(batch, count);
    if (wholeBatch != null && Kernels.team() == null && batch / count >= MIN_ROWS) {
      // One thread, slices of at least MIN_ROWS rows: Gemm.choose then picks the same loops
      // for the whole batch as for each slice.
      wholeBatch.lossAndGradient(x, y, batch, this);
      TaskTeam.run(sum);
    } else {
      this.x = x;
      this.y = y;
      try {
        TaskTeam.run(passes);
        TaskTeam.run(sum);
      } finally {
        this.x = null;
        this.y = null;
      }
    }
    double loss = 0;
    for (int s = 0; s < count; s++) {
      loss += (double) (rows[s + 1] - rows[s]) / batch * losses[s];
    }
    return (float) loss;
  }

  /** The number of slices of the batch in flight ({@link WholeBatch}). */
  public int sliceCount() {
    return count;
  }

  /** The first batch row of slice {@code s}. */
  public int sliceStart(int s) {
    return rows[s];
  }

  /** The number of rows of slice {@code s}. */
  public int sliceRows(int s) {
    return rows[s + 1] - rows[s];
  }

  /** Where slice {@code s}'s parameter gradient goes, laid out as the model's gradient. */
  public float[] sliceGradients(int s) {
    return replicas[s].gradients();
  }

  /** Records slice {@code s}'s mean loss over its rows. */
  public void setSliceLoss(int s, float loss) {
    losses[s] = loss;
  }

  /** Cuts the batch into {@code count} near-equal slices; makes replicas and buffers as needed. */
  private void prepare(int batch, int count) {
    this.batch = batch;
    this.count = count;
    if (replicas.length < count) {
      Model[] more = Arrays.copyOf(replicas, count);
      for (int s = replicas.length; s < count; s++) {
        more[s] = replicaOf.apply(params);
      }
      replicas = more;
      xs = Arrays.copyOf(xs, count);
      ys = Arrays.copyOf(ys, count);
      losses = new float[count];
      rows = new int[count + 1];
    }
    for (int s = 0; s <= count; s++) {
      rows[s] = (int) ((long) batch * s / count);
    }
    int in = replicas[0].inputSize();
    int out = replicas[0].targetSize();
    for (int s = 1; s < count; s++) {
      int n = rows[s + 1] - rows[s];
      if (xs[s] == null || xs[s].length < n * in) {
        xs[s] = new float[n * in];
        ys[s] = new float[n * out];
      }
    }
  }

  /** The slices' passes, one slice per part (or all on the caller when there is one thread). */
  private final class Passes extends TaskTeam.Task {
    @Override
    String kind() {
      return "batch slices, forward and backward";
    }

    @Override
    int parts(int threads) {
      return count;
    }

    @Override
    void run(int part, int parts) {
      int from = (int) ((long) count * part / parts);
      int to = (int) ((long) count * (part + 1) / parts);
      for (int s = from; s < to; s++) {
        pass(s);
      }
    }

    private void pass(int s) {
      Model m = replicas[s];
      int n = rows[s + 1] - rows[s];
      float[] sx = x;
      float[] sy = y;
      if (s > 0) {
        int in = m.inputSize();
        int out = m.targetSize();
        sx = xs[s];
        sy = ys[s];
        System.arraycopy(x, rows[s] * in, sx, 0, n * in);
        System.arraycopy(y, rows[s] * out, sy, 0, n * out);
      }
      try {
        losses[s] = m.lossAndGradient(sx, sy, n);
      } catch (IllegalArgumentException e) {
        if (s == 0) {
          throw e;
        }
        // A bad target names its sample within the slice; say where the slice starts.
        throw new IllegalArgumentException(e.getMessage() + " (in the slice of batch rows "
            + rows[s] + " to " + (rows[s + 1] - 1) + ": add " + rows[s] + " to the sample"
            + " number)", e);
      }
    }
  }

  /**
   * {@code grads = sum over s of (rows of s / batch) * gradient of s}, in slice order, by
   * parameter range as the optimizer's update is split ({@link Updates#partsFor}): an
   * element-wise sum, the same bits however it is split.
   */
  private final class Sum extends TaskTeam.Task {
    @Override
    String kind() {
      return "batch slices, gradients summed";
    }

    @Override
    int parts(int threads) {
      return Updates.partsFor(params.length, threads);
    }

    @Override
    void run(int part, int parts) {
      int n = params.length;
      int from = (int) ((long) n * part / parts);
      int to = (int) ((long) n * (part + 1) / parts);
      float w0 = (float) (rows[1] - rows[0]) / batch;
      float w1 = (float) (rows[2] - rows[1]) / batch;
      float[] g0 = replicas[0].gradients();
      float[] g1 = replicas[1].gradients();
      // The first two slices in one pass: the same roundings as storing w0 * g0 and adding.
      for (int i = from; i < to; i++) {
        grads[i] = w0 * g0[i] + w1 * g1[i];
      }
      for (int s = 2; s < count; s++) {
        float w = (float) (rows[s + 1] - rows[s]) / batch;
        float[] g = replicas[s].gradients();
        for (int i = from; i < to; i++) {
          grads[i] += w * g[i];
        }
      }
    }
  }
}
