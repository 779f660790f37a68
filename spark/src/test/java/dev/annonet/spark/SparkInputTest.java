package dev.annonet.spark;

import static dev.annonet.spark.SparkTests.digits;
import static dev.annonet.spark.SparkTests.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.examples.digits.DigitsModel;
import dev.annonet.optim.Adam;
import dev.annonet.optim.LineSearch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input fails before any update, with a message naming the problem and the fix. */
class SparkInputTest extends SparkSessionTest {


  private static SparkTrainer<DigitsModel> trainer() {
    return SparkTrainer.of(DigitsModel::new).optimizer(Adam.defaults()).epochs(1).quiet();
  }

  private static void assertFails(Executable fit, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, fit);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
    }
  }

  /** Rows of a given features array and label, in one partition. */
  private static Dataset<Row> rows(StructType schema, Object features, Object label) {
    return spark.createDataFrame(List.of(RowFactory.create(features, label)), schema);
  }

  @Test
  void namesAMissingColumnAndTheSetterThatNamesIt() {
    Dataset<Row> df = frame(spark, digits(10), 10);
    assertFails(() -> trainer().features("pixels").fit(df),
        "no feature column 'pixels'", "[features, label]", "features(\"...\")");
    assertFails(() -> trainer().label("digit").fit(df), "no label column 'digit'");
  }

  @Test
  void refusesColumnsOfTheWrongType() {
    StructType strings = new StructType().add("features", DataTypes.StringType)
        .add("label", DataTypes.IntegerType);
    assertFails(() -> trainer().fit(rows(strings, "1,2", 3)),
        "'features' is of type string", "array of numbers");
    StructType textLabel = SparkTests.SCHEMA.add("name", DataTypes.StringType);
    assertFails(() -> trainer().label("name").fit(spark.createDataFrame(
        List.of(RowFactory.create(new float[64], 1, "one")), textLabel)),
        "label column 'name' is of type string", "a class index");
  }

  @Test
  void namesARowWithTheWrongFeatureCountOrLabel() {
    assertFails(() -> trainer().fit(rows(SparkTests.SCHEMA, new float[63], 1)),
        "row 0 of partition 0 has 63 feature values but Digits takes 64");
    assertFails(() -> trainer().fit(rows(SparkTests.SCHEMA, new float[64], 10)),
        "row 0 of partition 0 has label 10.0 but Digits has 10 classes");
  }

  /** The floats as doubles, each exactly. */
  private static double[] doubles(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }

  /** The positions of the nonzero values of {@code x}. */
  private static int[] nonzero(float[] x) {
    return IntStream.range(0, x.length).filter(i -> x[i] != 0).toArray();
  }

  /** The nonzero values of {@code x}, in order, as doubles. */
  private static double[] nonzeroValues(float[] x) {
    return IntStream.of(nonzero(x)).mapToDouble(i -> x[i]).toArray();
  }

  @Test
  void mllibVectorColumnsDenseOrSparseTrainAsTheArrayColumnBitForBit() {
    dev.annonet.data.Dataset data = digits(200);
    int[] sizes = {80, 0, 120};
    assertTrue(nonzero(data.row(0)).length < 64, "the sparse rows must leave out some zeros");
    // Two updates, each with rows of both partitions.
    SparkTrainer<DigitsModel> fromArrays = trainer().batchSize(100);
    fromArrays.fit(frame(spark, data, sizes));
    assertFalse(Arrays.equals(new DigitsModel(42).parameters(),
        fromArrays.model().parameters()));
    Map<String, Dataset<Row>> vectors = new LinkedHashMap<>();
    vectors.put("ml dense", frame(spark, data, SQLDataTypes.VectorType(),
        x -> Vectors.dense(doubles(x)), sizes));
    vectors.put("ml sparse", frame(spark, data, SQLDataTypes.VectorType(),
        x -> Vectors.sparse(x.length, nonzero(x), nonzeroValues(x)), sizes));
    // The older RDD-based API's vectors, of org.apache.spark.mllib.linalg.
    vectors.put("mllib sparse", frame(spark, data, new org.apache.spark.mllib.linalg.VectorUDT(),
        x -> org.apache.spark.mllib.linalg.Vectors.sparse(x.length, nonzero(x),
            nonzeroValues(x)), sizes));
    for (Map.Entry<String, Dataset<Row>> frame : vectors.entrySet()) {
      SparkTrainer<DigitsModel> fromVectors = trainer().batchSize(100);
      fromVectors.fit(frame.getValue());
      assertArrayEquals(fromArrays.model().parameters(), fromVectors.model().parameters(),
          frame.getKey());
    }
  }

  @Test
  void namesARowWhoseVectorHasTheWrongLengthOrIsNull() {
    Row good = RowFactory.create(Vectors.dense(new double[64]), 1);
    Row shortRow = RowFactory.create(Vectors.sparse(63, new int[] {5}, new double[] {1}), 1);
    JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(List.of(List.of(good), List.of(good, shortRow)), 2)
        .flatMap(List::iterator);
    StructType vectors = SparkTests.schema(SQLDataTypes.VectorType());
    assertFails(() -> trainer().fit(spark.createDataFrame(rows, vectors)),
        "row 1 of partition 1 has 63 feature values but Digits takes 64");
    StructType nullable = new StructType().add("features", SQLDataTypes.VectorType())
        .add("label", DataTypes.IntegerType);
    assertFails(() -> trainer().fit(rows(nullable, null, 1)),
        "row 0 of partition 0 has a null feature");
  }

  @Test
  void refusesAnEmptyDataFrameAndAFullBatchOptimizer() {
    Dataset<Row> empty = frame(spark, digits(4), 2, 2).filter("label > 100");
    assertFails(() -> trainer().fit(empty), "has no rows", "2 empty partitions");
    assertFails(() -> trainer().optimizer(LineSearch.defaults()), "minibatch optimizer");
  }

  @Test
  void anRddOfLabeledRowsTrainsAsTheSameRowsInADataFrameBitForBit() {
    dev.annonet.data.Dataset data = digits(300);
    int[] sizes = {120, 0, 180};
    List<List<LabeledRow>> parts = new ArrayList<>();
    for (int k = 0, row = 0; k < sizes.length; k++) {
      List<LabeledRow> part = new ArrayList<>();
      for (int i = 0; i < sizes[k]; i++, row++) {
        part.add(LabeledRow.of(data.row(row), data.label(row)));
      }
      parts.add(part);
    }
    JavaRDD<LabeledRow> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(parts, sizes.length).flatMap(List::iterator);
    SparkTrainer<DigitsModel> fromRdd = trainer().epochs(2);
    fromRdd.fit(rdd);
    SparkTrainer<DigitsModel> fromFrame = trainer().epochs(2);
    fromFrame.fit(frame(spark, data, sizes));
    SparkTests.assertSameBits(fromFrame.model().parameters(), fromRdd.model().parameters());
    assertFalse(Arrays.equals(new DigitsModel(42).parameters(), fromRdd.model().parameters()));

    JavaRDD<LabeledRow> shortRow = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(List.of(LabeledRow.of(new float[63], 1)), 1);
    assertFails(() -> trainer().fit(shortRow),
        "row 0 of partition 0 has 63 feature values but Digits takes 64");
  }
}
