package dev.annonet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.annonet.data.Dataset;
import dev.annonet.examples.data.ExampleData;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** A test Spark session and DataFrames with chosen partition sizes. */
final class SparkTests {

  static final StructType SCHEMA =
      schema(DataTypes.createArrayType(DataTypes.FloatType, false));

  private SparkTests() {}

  /** Columns {@code features} of type {@code features} and {@code label}, an int. */
  static StructType schema(DataType features) {
    return new StructType().add("features", features, false)
        .add("label", DataTypes.IntegerType, false);
  }

  /**
   * A local session with two task threads that retries a failed task (up to three attempts),
   * without UI.
   */
  static SparkSession session() {
    return SparkSession.builder()
        .master("local[2,3]")
        .appName("annonet-spark-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }

  /** The first {@code rows} digits (features in [0, 1], labels 0..9). */
  static Dataset digits(int rows) {
    int[] first = new int[rows];
    for (int i = 0; i < rows; i++) {
      first[i] = i;
    }
    return ExampleData.digits().subset(first);
  }

  /**
   * The rows of {@code data} as a DataFrame whose partitions hold {@code sizes[k]} consecutive
   * rows each (zero for an empty partition), so row order in partition order is data's order.
   */
  static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, Dataset data,
      int... sizes) {
    return frame(spark, data, SCHEMA.apply("features").dataType(), x -> x, sizes);
  }

  /**
   * As {@link #frame(SparkSession, Dataset, int...)}, with each row's features given as
   * {@code features} makes them from the row's floats, in a column of type {@code type}.
   */
  static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, Dataset data,
      DataType type, Function<float[], Object> features, int... sizes) {
    List<List<Row>> parts = new ArrayList<>();
    int row = 0;
    for (int size : sizes) {
      List<Row> part = new ArrayList<>();
      for (int i = 0; i < size; i++, row++) {
        part.add(RowFactory.create(features.apply(data.row(row)), data.label(row)));
      }
      parts.add(part);
    }
    assertEquals(data.size(), row, "the partition sizes must cover the data");
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<Row> rows = jsc.parallelize(parts, sizes.length).flatMap(List::iterator);
    org.apache.spark.sql.Dataset<Row> frame = spark.createDataFrame(rows, schema(type));
    assertEquals(sizes.length, frame.rdd().getNumPartitions());
    return frame;
  }

  /** Fails unless the two arrays hold the same floats bit for bit, naming the first difference. */
  static void assertSameBits(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, "lengths");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
          "entry " + i + ": " + expected[i] + " vs " + actual[i]);
    }
  }
}
