package dev.annonet.data;

import dev.annonet.kernels.Rows;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An immutable in-memory data set: {@code size()} samples of {@code inputSize()} features and
 * {@code targetSize()} targets, each stored flat and row-major.
 *
 * <p>Rows and columns in messages are 0-based indices. Accessors that return arrays return
 * copies; {@link #copyRows} fills caller-owned buffers so that training loops allocate nothing.
 */
public final class Dataset {

  /** A data set cut in two: {@code train} and {@code test} share no row. */
  public record Split(Dataset train, Dataset test) {}

  /** A function applied to every value of a column, for scaling features or targets. */
  @FunctionalInterface
  public interface ValueMap {
    /** The new value of {@code value}, which sits in column {@code column}. */
    float apply(int column, float value);
  }

  private final int size;
  private final int inputSize;
  private final int targetSize;
  private final float[] features;
  private final float[] targets;
  /** {@link #fingerprint()}, computed on first use (0 until then; a data set is immutable). */
  private volatile long fingerprint;

  private Dataset(float[] features, int inputSize, float[] targets, int targetSize) {
    this.size = targets.length / targetSize;
    this.inputSize = inputSize;
    this.targetSize = targetSize;
    this.features = features;
    this.targets = targets;
  }

  /** A regression data set with {@code y[i].length} targets per sample. */
  public static Dataset regression(float[][] x, float[][] y) {
    requireRows(x, y.length);
    int inputs = width(x, "feature");
    int outs = width(y, "target");
    return checked(flatten(x, inputs, "feature"), inputs, flatten(y, outs, "target"), outs);
  }

  /** A regression data set with one target per sample. */
  public static Dataset regression(float[][] x, float[] y) {
    requireRows(x, y.length);
    int inputs = width(x, "feature");
    return checked(flatten(x, inputs, "feature"), inputs, y.clone(), 1);
  }

  /** A classification data set: one class index per sample, stored as a float target. */
  public static Dataset classification(float[][] x, int[] labels) {
    requireRows(x, labels.length);
    int inputs = width(x, "feature");
    float[] y = new float[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException("row " + i + " has label " + labels[i]
            + ": class labels are indices 0, 1, 2, ...; re-encode the labels");
      }
      y[i] = labels[i];
    }
    return checked(flatten(x, inputs, "feature"), inputs, y, 1);
  }

  /**
   * A data set of token sequences with a class index per position, for a {@code @TokenInput}
   * network whose output is a sequence (e.g. the next token at every position): row {@code i} has
   * the ids {@code ids[i]} as features and {@code targets[i]} as targets, all stored as floats.
   * The model checks the ids against its vocabulary.
   */
  public static Dataset tokens(int[][] ids, int[][] targets) {
    float[][] x = tokenRows(ids, "token id");
    requireRows(x, targets.length);
    float[][] y = tokenRows(targets, "label");
    int steps = width(x, "token id");
    int outs = width(y, "label");
    return checked(flatten(x, steps, "token id"), steps, flatten(y, outs, "label"), outs);
  }

  /**
   * A data set of token sequences with one class index per sequence, for a {@code @TokenInput}
   * network with a vector output (e.g. after {@code @MeanOverSteps}).
   */
  public static Dataset tokens(int[][] ids, int[] labels) {
    int[][] rows = new int[labels.length][];
    for (int i = 0; i < labels.length; i++) {
      rows[i] = new int[] {labels[i]};
    }
    return tokens(ids, rows);
  }

  /** {@code rows} as floats, after checking that each value is a non-negative int a float holds. */
  private static float[][] tokenRows(int[][] rows, String what) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] == null) {
        continue;
      }
      out[i] = new float[rows[i].length];
      for (int t = 0; t < rows[i].length; t++) {
        int v = rows[i][t];
        if (v < 0 || v > 1 << 24) {
          throw new IllegalArgumentException("sample " + i + ", position " + t + " has " + what
              + " " + v + ": " + what + "s are indices 0, 1, 2, ... up to 2^24 (the largest a"
              + " float holds exactly); re-encode the data");
        }
        out[i][t] = v;
      }
    }
    return out;
  }

  /**
   * A data set from flat row-major arrays ({@code flatX.length / inputSize} rows); the arrays are
   * copied.
   */
  public static Dataset of(float[] flatX, int inputSize, float[] flatY, int targetSize) {
    if (inputSize <= 0 || targetSize <= 0) {
      throw new IllegalArgumentException("inputSize and targetSize must be at least 1, got "
          + inputSize + " and " + targetSize);
    }
    if (flatX.length % inputSize != 0) {
      throw new IllegalArgumentException("flatX has " + flatX.length
          + " values, not a whole number of rows of " + inputSize);
    }
    if (flatY.length % targetSize != 0) {
      throw new IllegalArgumentException("flatY has " + flatY.length
          + " values, not a whole number of rows of " + targetSize);
    }
    int rows = flatX.length / inputSize;
    if (flatY.length / targetSize != rows) {
      throw new IllegalArgumentException("flatX holds " + rows + " rows but flatY holds "
          + flatY.length / targetSize + ": give one target row per feature row");
    }
    return checked(flatX.clone(), inputSize, flatY.clone(), targetSize);
  }

  /** Wraps arrays this package built and owns, after checking their values. */
  static Dataset checked(float[] x, int inputSize, float[] y, int targetSize) {
    int rows = y.length / targetSize;
    if (rows == 0) {
      throw new IllegalArgumentException("the dataset has no rows: a dataset needs one sample "
          + "or more");
    }
    requireFinite(x, inputSize, "column ");
    requireFinite(y, targetSize, "target column ");
    return new Dataset(x, inputSize, y, targetSize);
  }

  private static void requireFinite(float[] values, int width, String what) {
    for (int i = 0; i < values.length; i++) {
      float v = values[i];
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("row " + i / width + ", " + what + i % width + " is "
            + (Float.isNaN(v) ? "NaN" : "infinite") + ": clean or drop it before training");
      }
    }
  }

  private static void requireRows(float[][] x, int targetRows) {
    if (x.length != targetRows) {
      throw new IllegalArgumentException("x has " + x.length + " rows but there are "
          + targetRows + " targets: give one target per row");
    }
    if (x.length == 0) {
      throw new IllegalArgumentException("the dataset has no rows: a dataset needs one sample "
          + "or more");
    }
  }

  private static int width(float[][] rows, String what) {
    if (rows[0] == null || rows[0].length == 0) {
      throw new IllegalArgumentException("row 0 has no " + what + " values");
    }
    return rows[0].length;
  }

  private static float[] flatten(float[][] rows, int width, String what) {
    float[] flat = new float[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] == null || rows[i].length != width) {
        throw new IllegalArgumentException("row " + i + " has "
            + (rows[i] == null ? 0 : rows[i].length) + " " + what + " values but row 0 has "
            + width + ": every row needs the same number of columns");
      }
      System.arraycopy(rows[i], 0, flat, i * width, width);
    }
    return flat;
  }

  /** Number of samples. */
  public int size() {
    return size;
  }

  /** Features per sample. */
  public int inputSize() {
    return inputSize;
  }

  /** Targets per sample (1 for a class index). */
  public int targetSize() {
    return targetSize;
  }

  /** A copy of all features, row-major ({@code size() * inputSize()} floats). */
  public float[] features() {
    return features.clone();
  }

  /** A copy of all targets, row-major ({@code size() * targetSize()} floats). */
  public float[] targets() {
    return targets.clone();
  }

  /** A copy of the features of row {@code i}. */
  public float[] row(int i) {
    return Arrays.copyOfRange(features, checkRow(i) * inputSize, (i + 1) * inputSize);
  }

  /** A copy of the targets of row {@code i}. */
  public float[] targetRow(int i) {
    return Arrays.copyOfRange(targets, checkRow(i) * targetSize, (i + 1) * targetSize);
  }

  /** Feature {@code column} of row {@code i}. */
  public float feature(int i, int column) {
    return features[checkRow(i) * inputSize + checkColumn(column, inputSize)];
  }

  /** Target {@code column} of row {@code i}. */
  public float target(int i, int column) {
    return targets[checkRow(i) * targetSize + checkColumn(column, targetSize)];
  }

  /** The class index of row {@code i} (its first target as an int). */
  public int label(int i) {
    return (int) targets[checkRow(i) * targetSize];
  }

  /**
   * Copies rows {@code from, from + 1, ...} ({@code count} of them) into {@code x} and {@code y}
   * from offset 0; allocates nothing.
   */
  public void copyRows(int from, int count, float[] x, float[] y) {
    System.arraycopy(features, from * inputSize, x, 0, count * inputSize);
    System.arraycopy(targets, from * targetSize, y, 0, count * targetSize);
  }

  /**
   * Copies rows {@code order[from], ..., order[from + count - 1]} contiguously into {@code x}
   * and {@code y} from offset 0; allocates nothing.
   */
  public void copyRows(int[] order, int from, int count, float[] x, float[] y) {
    // The features, most of the bytes, are copied on the kernel threads when the batch is large.
    Rows.gather(features, inputSize, order, from, count, x);
    Rows.gather(targets, targetSize, order, from, count, y);
  }

  /** The rows at {@code indices}, in that order (repeats allowed). */
  public Dataset subset(int[] indices) {
    float[] x = new float[indices.length * inputSize];
    float[] y = new float[indices.length * targetSize];
    for (int i : indices) {
      checkRow(i);
    }
    copyRows(indices, 0, indices.length, x, y);
    return checked(x, inputSize, y, targetSize);
  }

  /**
   * Shuffles the rows with {@code seed} and puts the first {@code round(testFraction * size())}
   * of them in {@code test}, the rest in {@code train}; both keep at least one row.
   */
  public Split split(double testFraction, long seed) {
    int[][] rows = splitRows(size, null, testFraction, seed);
    return new Split(subset(rows[0]), subset(rows[1]));
  }

  /**
   * As {@link #split}, but each class (the label in the first target column) gets the same share
   * of the test rows as it has of the data, so that rare classes are represented in both parts:
   * the {@code round(testFraction * size())} test rows are shared out among the classes in
   * proportion to their sizes (largest remainders get the rounding, ties to the lower class),
   * and each class's test rows are its first ones in the seeded shuffle. With a single class
   * this is exactly {@link #split}. Labels must be class indices.
   */
  public Split stratifiedSplit(double testFraction, long seed) {
    checkSplit(size, testFraction);
    int[][] rows = splitRows(size, labels(), testFraction, seed);
    return new Split(subset(rows[0]), subset(rows[1]));
  }

  /**
   * The rows, in order, that {@link #split} of a data set of {@code size} rows puts in its test
   * part, or with {@code labels} (each row's class index) those of {@link #stratifiedSplit}.
   * They depend only on the size, the labels, the fraction and the seed, so a trainer whose rows
   * live elsewhere (a cluster) holds out the very rows a split of them in one place would.
   */
  public static int[] testRows(int size, int[] labels, double testFraction, long seed) {
    return splitRows(size, labels, testFraction, seed)[1];
  }

  private static void checkSplit(int size, double testFraction) {
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new IllegalArgumentException("testFraction must be between 0 and 1 (exclusive), got "
          + testFraction);
    }
    if (size < 2) {
      throw new IllegalArgumentException("a dataset of " + size + " row cannot be split");
    }
  }

  /** The train and test rows of a split, stratified by {@code labels} unless they are null. */
  private static int[][] splitRows(int size, int[] labels, double testFraction, long seed) {
    checkSplit(size, testFraction);
    int test = (int) Math.min(size - 1, Math.max(1, Math.round(testFraction * size)));
    int[] order = permutation(size, new SplittableRandom(seed));
    if (labels == null) {
      return new int[][] {Arrays.copyOfRange(order, test, size),
          Arrays.copyOfRange(order, 0, test)};
    }
    int classes = 0;
    for (int label : labels) {
      classes = Math.max(classes, label + 1);
    }
    int[] perClass = new int[classes];
    for (int label : labels) {
      perClass[label]++;
    }
    int[] quota = new int[perClass.length];
    double[] remainder = new double[perClass.length];
    int given = 0;
    for (int c = 0; c < perClass.length; c++) {
      double exact = (double) test * perClass[c] / size;
      quota[c] = (int) Math.floor(exact);
      remainder[c] = exact - quota[c];
      given += quota[c];
    }
    for (; given < test; given++) {
      int best = -1;
      for (int c = 0; c < perClass.length; c++) {
        if (quota[c] < perClass[c] && (best < 0 || remainder[c] > remainder[best])) {
          best = c;
        }
      }
      quota[best]++;
      remainder[best] = -1;
    }
    int[] testRows = new int[test];
    int[] trainRows = new int[size - test];
    int t = 0;
    int r = 0;
    for (int row : order) {
      if (quota[labels[row]] > 0) {
        quota[labels[row]]--;
        testRows[t++] = row;
      } else {
        trainRows[r++] = row;
      }
    }
    return new int[][] {trainRows, testRows};
  }

  /** The identity permutation of {@code 0..n-1}, shuffled by Fisher-Yates from {@code random}. */
  static int[] permutation(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** This data set with every feature replaced by {@code f(column, value)}. */
  public Dataset mapFeatures(ValueMap f) {
    return checked(map(features, inputSize, f), inputSize, targets.clone(), targetSize);
  }

  /** This data set with every target replaced by {@code f(column, value)}. */
  public Dataset mapTargets(ValueMap f) {
    return checked(features.clone(), inputSize, map(targets, targetSize, f), targetSize);
  }

  /** This data set with every feature multiplied by {@code factor} (e.g. 1/255 for pixels). */
  public Dataset scaleFeatures(float factor) {
    return mapFeatures((column, value) -> value * factor);
  }

  private static float[] map(float[] values, int width, ValueMap f) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = f.apply(i % width, values[i]);
    }
    return out;
  }

  /**
   * The class index of every row (the first target column), checking that each is a whole
   * number of at least 0.
   */
  public int[] labels() {
    int[] labels = new int[size];
    for (int i = 0; i < size; i++) {
      float label = targets[i * targetSize];
      if (label != Math.rint(label) || label < 0) {
        throw new IllegalArgumentException("row " + i + " has target " + label + ", which is not "
            + "a class index (a whole number 0, 1, 2, ...): labels need classification data"
            + (targetSize > 1 ? "; for one-hot targets call fromOneHot() first" : ""));
      }
      labels[i] = (int) label;
    }
    return labels;
  }

  /**
   * This data set with each class index (one target per row) replaced by a one-hot row of
   * {@code classes} targets: 1 at the label, 0 elsewhere. For losses that take one target per
   * output, such as a binary cross-entropy per class.
   */
  public Dataset oneHot(int classes) {
    if (targetSize != 1) {
      throw new IllegalArgumentException("oneHot needs one class index per row but the dataset "
          + "has " + targetSize + " targets per row");
    }
    if (classes < 1) {
      throw new IllegalArgumentException("oneHot: classes must be at least 1, got " + classes);
    }
    int[] labels = labels();
    float[] y = new float[size * classes];
    for (int i = 0; i < size; i++) {
      if (labels[i] >= classes) {
        throw new IllegalArgumentException("row " + i + " has label " + labels[i] + " but oneHot("
            + classes + ") makes labels 0.." + (classes - 1) + ": pass classCount() ("
            + classCount() + ") or more");
      }
      y[i * classes + labels[i]] = 1;
    }
    return checked(features.clone(), inputSize, y, classes);
  }

  /**
   * This data set with each one-hot target row (exactly one 1, the rest 0) replaced by its class
   * index, the form the softmax cross-entropy networks take.
   */
  public Dataset fromOneHot() {
    float[] y = new float[size];
    for (int i = 0; i < size; i++) {
      int hot = -1;
      for (int k = 0; k < targetSize; k++) {
        float v = targets[i * targetSize + k];
        if (v == 1 && hot < 0) {
          hot = k;
        } else if (v != 0) {
          hot = -2;
          break;
        }
      }
      if (hot < 0) {
        throw new IllegalArgumentException("row " + i + " is not one-hot: its " + targetSize
            + " targets " + Arrays.toString(targetRow(i)) + " need exactly one 1 and zeros "
            + "elsewhere");
      }
      y[i] = hot;
    }
    return checked(features.clone(), inputSize, y, 1);
  }

  /** One more than the largest class index in the first target column. */
  public int classCount() {
    int max = 0;
    for (int i = 0; i < size; i++) {
      max = Math.max(max, (int) targets[i * targetSize]);
    }
    return max + 1;
  }

  private int checkRow(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("row " + i + " of a dataset of " + size + " rows");
    }
    return i;
  }

  private static int checkColumn(int column, int width) {
    if (column < 0 || column >= width) {
      throw new IndexOutOfBoundsException("column " + column + " of " + width + " columns");
    }
    return column;
  }

  /**
   * A 64-bit hash of the shape and of every feature and target, bit for bit, in row order: two
   * data sets with the same fingerprint hold, all but certainly, the same rows in the same order.
   * Checkpoints record it so that a run is not resumed on other data of the same size. Computed
   * once (one pass over the data), then kept.
   */
  public long fingerprint() {
    long h = fingerprint;
    if (h == 0) {
      h = mix(mix(mix(0x9E3779B97F4A7C15L, size), inputSize), targetSize);
      for (float v : features) {
        h = mix(h, Float.floatToIntBits(v));
      }
      for (float v : targets) {
        h = mix(h, Float.floatToIntBits(v));
      }
      h = finish(h);
      fingerprint = h == 0 ? 1 : h;
    }
    return fingerprint;
  }

  /** One round of a multiply-rotate hash (the round of xxHash64), on a 32-bit value. */
  private static long mix(long h, int value) {
    h += (value & 0xFFFFFFFFL) * 0xC2B2AE3D27D4EB4FL;
    return Long.rotateLeft(h, 31) * 0x9E3779B185EBCA87L;
  }

  /** Spreads every input bit over the result (xxHash64's avalanche). */
  private static long finish(long h) {
    h ^= h >>> 33;
    h *= 0xC2B2AE3D27D4EB4FL;
    h ^= h >>> 29;
    h *= 0x165667B19E3779F9L;
    return h ^ (h >>> 32);
  }

  @Override
  public String toString() {
    return "Dataset[" + size + " rows, " + inputSize + " features, " + targetSize + " targets]";
  }
}
