package dev.annonet.spark;

import dev.annonet.Model;
import dev.annonet.bench.MnistMlpModel;
import dev.annonet.examples.digits.DigitsModel;
import dev.annonet.optim.Adam;
import dev.annonet.train.GradientSum;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Times one synchronous Spark update, split into its parts, for the digits network and the W3
 * network (784-256-256-10) at batch 128 on {@code local[1]} and {@code local[2]}, one partition
 * per core: run by {@code mvn -B -q -pl spark -am -DskipTests -Pspark-bench verify}.
 *
 * <p>Each part is its own Spark job or driver loop; every round times each part once, so a
 * change of load falls on all alike, and the medians are printed:
 * an empty job (the scheduling floor every update pays), broadcasting the parameters and reading
 * them in every task (less the floor), one task's model pass on its share of the batch (timed
 * in this JVM, which is where local mode's executors run), the driver's sum of the slices and
 * the optimizer step, and whole updates with each {@link Aggregation}. What the parts leave of
 * a whole update is sending the gradients back and Spark's bookkeeping.
 */
public final class SparkStepBenchmark {

  private static final int BATCH = 128;
  private static final int ROWS = BATCH * 16;
  private static final int WARMUP = 60;
  private static final int RUNS = 120;

  private SparkStepBenchmark() {}

  /** Runs every case and prints one line each. */
  public static void main(String[] args) {
    System.out.println("master    network         params  floor  bcast compute  driver"
        + "  in-order    tree  (ms per update, medians)");
    for (String master : new String[] {"local[1]", "local[2]"}) {
      SparkSession spark = SparkSession.builder().master(master).appName("annonet-spark-bench")
          .config("spark.ui.enabled", "false").getOrCreate();
      try {
        int cores = master.equals("local[1]") ? 1 : 2;
        measure(spark, master, cores, "digits 64-128-10", DigitsModel::new);
        measure(spark, master, cores, "W3 784-256-256-10", MnistMlpModel::new);
      } finally {
        spark.stop();
      }
    }
  }

  private static <M extends Model> void measure(SparkSession session, String master,
      int partitions, String name, ModelFactory<M> factory) {
    JavaSparkContext spark = JavaSparkContext.fromSparkContext(session.sparkContext());
    M model = factory.create(42);
    int in = model.inputSize();
    Random random = new Random(1);
    List<Block> parts = new ArrayList<>();
    int per = ROWS / partitions;
    for (int p = 0; p < partitions; p++) {
      float[] x = new float[per * in];
      float[] y = new float[per];
      for (int i = 0; i < x.length; i++) {
        x[i] = random.nextFloat();
      }
      for (int i = 0; i < y.length; i++) {
        y[i] = random.nextInt(model.outputSize());
      }
      parts.add(new Block(p, per, x, y));
    }
    JavaRDD<Block> blocks = spark.parallelize(parts, partitions).cache();
    blocks.count();
    int[] offsets = new int[partitions];
    for (int p = 0; p < partitions; p++) {
      offsets[p] = p * per;
    }
    int[] order = new int[ROWS];
    Arrays.setAll(order, i -> (i % partitions) * per + i / partitions);
    Broadcast<int[]> ordered = spark.broadcast(order);
    String key = model.getClass().getName() + "/" + model.parameterCount();
    float[] params = model.parameters();
    float[] grads = new float[params.length];
    Adam adam = Adam.defaults();

    M local = factory.create(1);
    int share = BATCH / partitions;
    local.reserve(share);
    float[] x = Arrays.copyOf(parts.get(0).x, share * in);
    float[] y = Arrays.copyOf(parts.get(0).y, share);
    GradientSum sum = new GradientSum(params.length);
    float[] slice = local.gradients().clone();
    Runnable[] phases = {
      () -> blocks.foreachPartition(it -> { }),
      () -> {
        Broadcast<float[]> sent = spark.broadcast(params.clone());
        blocks.foreachPartition(it -> sent.value());
        sent.destroy();
      },
      () -> local.lossAndGradient(x, y, share),
      () -> {
        sum.clear();
        for (int p = 0; p < partitions; p++) {
          sum.add(share, 1f, slice);
        }
        sum.meanGradient(grads);
        adam.step(params.clone(), grads, 1e-3f);
      },
      () -> update(spark, blocks, key, factory, ordered, offsets, params, grads, adam, false),
      () -> update(spark, blocks, key, factory, ordered, offsets, params, grads, adam, true)
    };
    double[] m = medians(phases);
    double floor = m[0];
    double broadcast = m[1] - floor;
    double compute = m[2];
    double driver = m[3];
    double[] updates = {m[4], m[5]};
    ordered.destroy();
    blocks.unpersist(false);
    System.out.println(String.format(Locale.ROOT,
        "%-9s %-17s %7d %6.2f %6.2f %7.2f %7.2f %9.2f %7.2f", master, name,
        model.parameterCount(), floor, broadcast, compute, driver, updates[0], updates[1]));
  }

  /** One whole synchronous update at batch {@link #BATCH}, aggregated in order or as a tree. */
  private static void update(JavaSparkContext spark, JavaRDD<Block> blocks, String key,
      ModelFactory<?> factory, Broadcast<int[]> ordered, int[] offsets, float[] params,
      float[] grads, Adam adam, boolean tree) {
    Broadcast<float[]> sent = spark.broadcast(params.clone());
    JavaRDD<Slice> slices = blocks.mapPartitions(new StepTask(key, factory, sent, ordered,
        offsets, 0, BATCH, 1, Float.NaN, 42, 0));
    if (tree) {
      slices.treeAggregate(new Partial(), Partial::add, Partial::merge).meanGradient(grads);
    } else {
      GradientSum s = new GradientSum(grads.length);
      for (Slice part : slices.collect()) {
        s.add(part.rows, part.loss, part.gradient);
      }
      s.meanGradient(grads);
    }
    adam.step(params, grads, 1e-3f);
    sent.destroy();
  }

  /**
   * The median time in milliseconds of each phase over {@link #RUNS} rounds, after
   * {@link #WARMUP} untimed ones; each round runs every phase once, so a change in the machine's
   * load during the measurement falls on all phases alike.
   */
  private static double[] medians(Runnable[] phases) {
    for (int i = 0; i < WARMUP; i++) {
      for (Runnable phase : phases) {
        phase.run();
      }
    }
    double[][] t = new double[phases.length][RUNS];
    for (int i = 0; i < RUNS; i++) {
      for (int k = 0; k < phases.length; k++) {
        long start = System.nanoTime();
        phases[k].run();
        t[k][i] = (System.nanoTime() - start) / 1e6;
      }
    }
    double[] m = new double[phases.length];
    for (int k = 0; k < phases.length; k++) {
      Arrays.sort(t[k]);
      m[k] = t[k][RUNS / 2];
    }
    return m;
  }
}
