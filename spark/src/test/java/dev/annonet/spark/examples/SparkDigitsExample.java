package dev.annonet.spark.examples;

import dev.annonet.data.Dataset;
import dev.annonet.examples.data.ExampleData;
import dev.annonet.examples.digits.DigitsModel;
import dev.annonet.optim.Adam;
import dev.annonet.spark.SparkTrainer;
import dev.annonet.train.EpochRecord;
import dev.annonet.train.Trainer;
import dev.annonet.train.TrainingReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Trains the digits network through Spark on {@code local[*]}, then trains it again on one
 * machine with the same partitions and shows that both end with the same parameters, bit for
 * bit. Run it with {@code mvn -B -q -pl spark -am -DskipTests -Pspark-example verify}.
 */
public final class SparkDigitsExample {
  private SparkDigitsExample() {}

  public static void main(String[] args) {
    Dataset.Split split = ExampleData.digits().split(0.2, 42);
    Dataset train = split.train();
    SparkSession spark = SparkSession.builder().master("local[*]")
        .appName("annonet-digits").config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      StructType schema = new StructType()
          .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
          .add("label", DataTypes.IntegerType, false);
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < train.size(); i++) {
        rows.add(RowFactory.create(train.row(i), train.label(i)));
      }
      org.apache.spark.sql.Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(4)
          .cache();
      // The rows in partition order and the partition sizes, for the single-machine run.
      List<Row> ordered = df.collectAsList();
      int[] sizes = df.javaRDD().mapPartitions(it -> {
        int n = 0;
        for (; it.hasNext(); it.next()) {
          n++;
        }
        return List.of(n).iterator();
      }).collect().stream().mapToInt(Integer::intValue).toArray();

      SparkTrainer<DigitsModel> trainer = SparkTrainer.of(DigitsModel::new)
          .optimizer(Adam.defaults()).batchSize(32).epochs(20).validation(split.test()).quiet();
      TrainingReport report = trainer.fit(df);
      System.out.println("Digits on Spark " + spark.sparkContext().master() + ", partitions "
          + Arrays.toString(sizes) + ": 64 -> 128 ReLU -> 10, Adam(1e-3), batch 32");
      System.out.println(" epoch  train loss  grad norm  test accuracy");
      for (EpochRecord e : report.history()) {
        if (e.epoch() % 5 == 0 || e.epoch() == 1) {
          System.out.printf("%6d  %10.4f  %9.4f  %12.2f%%%n", e.epoch(), e.trainLoss(),
              e.gradientNorm(), 100 * e.validation().accuracy());
        }
      }
      System.out.printf("held-out accuracy %.2f%% after %d updates (%.1f s)%n",
          100 * report.validation().accuracy(), report.updates(), report.seconds());

      float[][] features = new float[ordered.size()][64];
      int[] labels = new int[ordered.size()];
      for (int i = 0; i < labels.length; i++) {
        List<Float> f = ordered.get(i).getList(0);
        for (int j = 0; j < 64; j++) {
          features[i][j] = f.get(j);
        }
        labels[i] = ordered.get(i).getInt(1);
      }
      DigitsModel local = new DigitsModel(42);
      Trainer.of(local).optimizer(Adam.defaults()).batchSize(32).epochs(20).partitions(sizes)
          .quiet().fit(Dataset.classification(features, labels));
      System.out.println("same parameters as Trainer.partitions(...) on one machine, bit for "
          + "bit: " + Arrays.equals(local.parameters(), trainer.model().parameters()));
    } finally {
      spark.stop();
    }
  }
}
