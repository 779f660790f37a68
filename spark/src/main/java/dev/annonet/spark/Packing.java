package dev.annonet.spark;

import dev.annonet.Model;
import dev.annonet.Task;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Checks a DataFrame's feature and label columns against a model, then packs each partition's
 * rows (selected as feature, label, a vector feature column turned into floats) into one
 * {@link Block}.
 */
final class Packing implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final List<String> VECTOR_TYPES = List.of(
      "org.apache.spark.ml.linalg.VectorUDT", "org.apache.spark.mllib.linalg.VectorUDT");

  private final String name;
  private final int inputSize;
  private final int targetSize;
  private final int classes;

  private Packing(Model model) {
    this.name = model.name();
    this.inputSize = model.inputSize();
    this.targetSize = model.targetSize();
    // A per-position classifier has a class index for each of its steps.
    this.classes = model.task() == Task.MULTICLASS ? model.outputSize() / model.steps() : 0;
  }

  /** The packing of {@link LabeledRow}s (as rows of features and targets) for {@code model}. */
  static Packing of(Model model) {
    return new Packing(model);
  }

  /**
   * The packing of rows for {@code model} from the columns {@code features} and {@code label} of
   * {@code schema}, after checking that they exist and hold numbers in a form the model takes.
   */
  static Packing check(StructType schema, String features, String label, Model model) {
    List<String> names = Arrays.asList(schema.fieldNames());
    for (String[] column : new String[][] {{"feature", features, "features"},
        {"label", label, "label"}}) {
      if (!names.contains(column[1])) {
        throw new IllegalArgumentException("the DataFrame has no " + column[0] + " column '"
            + column[1] + "' (its columns are " + names + "): name it with " + column[2]
            + "(\"...\")");
      }
    }
    DataType x = schema.apply(features).dataType();
    if (!numericArray(x) && !vector(x)) {
      throw new IllegalArgumentException("feature column '" + features + "' is of type "
          + x.simpleString() + " but must be an array of numbers, e.g. array<float>, or an "
          + "MLlib vector: gather the " + model.inputSize() + " inputs with "
          + "functions.array(...)");
    }
    DataType y = schema.apply(label).dataType();
    boolean scalar = y instanceof NumericType;
    if (model.targetSize() == 1 ? !scalar && !numericArray(y) : !numericArray(y)) {
      throw new IllegalArgumentException("label column '" + label + "' is of type "
          + y.simpleString() + " but " + model.name() + " takes "
          + (model.task() == Task.MULTICLASS ? "a class index (a number)"
              : model.targetSize() + " target value(s) per row (a number or an array of "
                  + "numbers)"));
    }
    return new Packing(model);
  }

  /**
   * Whether {@code type} is MLlib's vector type, of {@code org.apache.spark.ml.linalg} or the
   * older {@code org.apache.spark.mllib.linalg}; told by class name, so that checking a column
   * loads no MLlib class. Such a column is packed as {@link VectorColumn} turns it into floats.
   */
  static boolean vector(DataType type) {
    return VECTOR_TYPES.contains(type.getClass().getName());
  }

  private static boolean numericArray(DataType type) {
    return type instanceof ArrayType && ((ArrayType) type).elementType() instanceof NumericType;
  }

  /** Packs the rows of partition {@code partition}, each a (features, label) row. */
  Iterator<Block> pack(int partition, Iterator<Row> rows) {
    float[] x = new float[64 * inputSize];
    float[] y = new float[64 * targetSize];
    int n = 0;
    while (rows.hasNext()) {
      Row row = rows.next();
      if (x.length < (n + 1) * inputSize) {
        x = Arrays.copyOf(x, 2 * x.length);
        y = Arrays.copyOf(y, 2 * y.length);
      }
      read(row, 0, inputSize, x, n * inputSize, partition, n, "feature");
      read(row, 1, targetSize, y, n * targetSize, partition, n, "label");
      for (int t = 0; classes > 0 && t < targetSize; t++) {
        float c = y[n * targetSize + t];
        if (c != Math.rint(c) || c < 0 || c >= classes) {
          throw new IllegalArgumentException("row " + n + " of partition " + partition
              + (targetSize == 1 ? "" : ", position " + t) + " has label " + c + " but " + name
              + " has " + classes + " classes: labels must be class indices 0.."
              + (classes - 1));
        }
      }
      n++;
    }
    Block block = new Block(partition, n, Arrays.copyOf(x, n * inputSize),
        Arrays.copyOf(y, n * targetSize));
    return List.of(block).iterator();
  }

  /**
   * Reads column {@code column} of {@code row}, a number, an array column or a float array (a
   * {@link LabeledRow}'s), into {@code to}.
   */
  private void read(Row row, int column, int size, float[] to, int at, int partition, int n,
      String what) {
    String where = "row " + n + " of partition " + partition;
    if (row.isNullAt(column)) {
      throw new IllegalArgumentException(where + " has a null " + what + ": drop or fill the"
          + " rows with nulls (DataFrame.na()) before training");
    }
    Object value = row.get(column);
    if (value instanceof Number) {
      if (size != 1) {
        throw new IllegalArgumentException(where + " has one " + what + " value but " + name
            + " takes " + size + ": give an array of " + size);
      }
      to[at] = ((Number) value).floatValue();
    } else if (value instanceof float[] values) {
      checkCount(values.length, size, where, what);
      System.arraycopy(values, 0, to, at, size);
    } else {
      List<Object> values = row.getList(column);
      checkCount(values.size(), size, where, what);
      for (int i = 0; i < size; i++) {
        Object v = values.get(i);
        if (v == null) {
          throw new IllegalArgumentException(where + " has a null in its " + what
              + " array at index " + i + ": fill it before training");
        }
        to[at + i] = ((Number) v).floatValue();
      }
    }
    for (int i = 0; i < size; i++) {
      if (!Float.isFinite(to[at + i])) {
        throw new IllegalArgumentException(where + " has the " + what + " value " + to[at + i]
            + " at index " + i + ": every value must be finite");
      }
    }
  }

  private void checkCount(int count, int size, String where, String what) {
    if (count != size) {
      throw new IllegalArgumentException(where + " has " + count + " " + what + " values but "
          + name + " takes " + size + ": give every row " + size + " " + what + " values");
    }
  }
}
