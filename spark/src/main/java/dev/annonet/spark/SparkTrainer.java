package dev.annonet.spark;

import dev.annonet.Model;
import dev.annonet.Models;
import dev.annonet.Task;
import dev.annonet.optim.Optimizer;
import dev.annonet.optim.Schedule;
import dev.annonet.train.Callback;
import dev.annonet.train.Checkpoint;
import dev.annonet.train.Checkpoints;
import dev.annonet.train.Divergence;
import dev.annonet.train.EarlyStopping;
import dev.annonet.train.EpochRecord;
import dev.annonet.train.GradientClipping;
import dev.annonet.train.GradientSum;
import dev.annonet.train.History;
import dev.annonet.train.Metric;
import dev.annonet.train.Metrics;
import dev.annonet.train.SampleOrder;
import dev.annonet.train.StopReason;
import dev.annonet.train.TrainingReport;
import dev.annonet.train.ValidationSplit;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * Trains a generated model on a Spark DataFrame (or an RDD of {@link LabeledRow}s) by
 * synchronous data-parallel minibatch SGD, configured as {@link dev.annonet.train.Trainer} is:
 * {@code SparkTrainer.of(DigitsModel::new).optimizer(Adam.defaults()).batchSize(64).fit(df)}.
 * The {@link #features feature column} holds arrays of numbers or MLlib vectors (dense or
 * sparse), the {@link #label label column} numbers or arrays of numbers.
 *
 * <p>Each partition's rows are packed once into flat float arrays and cached. Each epoch visits
 * the rows in the order {@link SampleOrder} gives for the seed, rows numbered in partition order
 * (the order {@code collect()} returns). Each update broadcasts the parameters; every partition
 * runs the generated code once on its rows of the minibatch, in minibatch order, and returns
 * their mean loss and gradient; the driver adds the partitions' results in partition order, as
 * {@link GradientSum} defines, and the optimizer updates the parameters on the driver.
 *
 * <p><b>What equals what.</b> The parameters after every update are bit for bit those of
 * {@code Trainer.of(model).partitions(sizes).fit(rows)} with the same settings and initial
 * parameters, where {@code rows} are the DataFrame's rows in partition order and {@code sizes}
 * its partition sizes; on one partition, or whenever each minibatch lies in one partition, that
 * is plain {@code Trainer.fit} bit for bit. Summing per-partition slices is what makes the two
 * equal: one pass over a whole minibatch rounds differently from the sum of its slices, so
 * partitioned and unpartitioned training agree only to rounding. The reported training loss
 * and gradient norm are measured per partition in inference mode and summed in partition
 * order, so they agree with the single-machine trainer's to rounding, not bit for bit.
 * Networks with dropout draw their masks on executors from streams seeded by the seed, the
 * minibatch and the partition: reproducible run to run and across retried tasks, but not the
 * single-machine trainer's masks. Networks with batch normalisation are not supported yet.
 *
 * <p>Gradient clipping, a {@link #validationSplit validation split} (held-out rows measured on
 * the executors) and early stopping work as the single-machine trainer's and keep the equality
 * above: the same parameters, the same stop and best epoch. So does divergence: an update whose
 * minibatch loss (or clipped gradient norm) is not finite is not applied, and an epoch after
 * which the training loss or gradient norm is not finite is not kept; the run stops with
 * {@link StopReason#DIVERGED}, the model back at the last finite epoch's parameters, and the
 * report's message, history and update count are the single-machine trainer's.
 *
 * <p>{@link #aggregation(Aggregation) Tree aggregation} gives up bit-for-bit reproducibility
 * for a driver that receives fewer gradients; {@link #localSteps local SGD} exchanges
 * parameters once per {@code k} minibatches and is the synchronous step for {@code k = 1}. A
 * run {@linkplain #checkpointEvery checkpoints} on the driver in the single-machine trainer's
 * format and resumes bit for bit.
 *
 * <p>A failed task is retried by Spark; its result depends only on the broadcast parameters and
 * the cached rows, and Spark keeps one result per partition, so a retry never counts a
 * gradient twice. The rows must come out of the DataFrame the same way each time they are
 * computed (cache or checkpoint a DataFrame built with a random shuffle).
 */
public final class SparkTrainer<M extends Model> {

  private static final System.Logger LOG = System.getLogger(SparkTrainer.class.getName());

  private final ModelFactory<M> factory;
  private final M model;
  private Optimizer optimizer;
  private Schedule schedule = Schedule.constant();
  private int batchSize = 32;
  private int epochs = 10;
  private long seed = 42;
  private String featureColumn = "features";
  private String labelColumn = "label";
  private dev.annonet.data.Dataset validation;
  private double validationFraction;
  private final List<Callback> callbacks = new ArrayList<>();
  private boolean quiet;
  private Aggregation aggregation = Aggregation.IN_ORDER;
  private int localSteps = 1;
  private double tolerance;
  private double clipNorm;
  private Metric stoppingMetric;
  private int patience;
  private int checkpointEvery;
  private Path checkpointFile;
  private Path resumeFile;

  private SparkTrainer(ModelFactory<M> factory) {
    this.factory = factory;
    this.model = factory.create(42);
  }

  /**
   * A trainer for the network that {@code factory} builds (a generated model's constructor,
   * {@code DigitsModel::new}): batch size 32, 10 epochs, constant schedule, seed 42, columns
   * {@code features} and {@code label}. The driver's model, {@link #model()}, starts from the
   * factory's seed-42 initialisation; executors build their own copies with the factory.
   */
  public static <M extends Model> SparkTrainer<M> of(ModelFactory<M> factory) {
    if (factory == null) {
      throw new IllegalArgumentException("factory is null: pass a generated model's "
          + "constructor, e.g. SparkTrainer.of(DigitsModel::new)");
    }
    return new SparkTrainer<>(factory);
  }

  /**
   * The model trained on the driver, whose parameters fit() trains in place; initialise it
   * differently or load parameters into it before fit to start elsewhere.
   */
  public M model() {
    return model;
  }

  /** The update rule (required). */
  public SparkTrainer<M> optimizer(Optimizer optimizer) {
    if (optimizer == null) {
      throw new IllegalArgumentException("optimizer is null: pass an update rule, e.g. "
          + "Adam.defaults()");
    }
    if (optimizer.needsObjective()) {
      throw new IllegalArgumentException(optimizer.getClass().getSimpleName() + " evaluates "
          + "the whole training set during a step, which SparkTrainer does not distribute: "
          + "use a minibatch optimizer such as Adam or Sgd");
    }
    this.optimizer = optimizer;
    return this;
  }

  /** The step-size schedule applied to the optimizer's learning rate (default constant). */
  public SparkTrainer<M> schedule(Schedule schedule) {
    this.schedule = schedule == null ? Schedule.constant() : schedule;
    return this;
  }

  /** Rows per update, across all partitions; above the row count means all rows (default 32). */
  public SparkTrainer<M> batchSize(int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    this.batchSize = batchSize;
    return this;
  }

  /** The number of passes over the data (default 10). */
  public SparkTrainer<M> epochs(int epochs) {
    if (epochs <= 0) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
    this.epochs = epochs;
    return this;
  }

  /** Seed of the sample order and of executors' dropout streams (default 42). */
  public SparkTrainer<M> seed(long seed) {
    this.seed = seed;
    return this;
  }

  /**
   * Stops once the full training-set gradient norm, measured after every epoch, is below this, as
   * {@link dev.annonet.train.Trainer#tolerance} does (default 0: never).
   */
  public SparkTrainer<M> tolerance(double tolerance) {
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("tolerance must be 0 or more, got " + tolerance
          + ": use 0 to train for all epochs");
    }
    this.tolerance = tolerance;
    return this;
  }

  /**
   * Rescales each update's gradient whose Euclidean norm exceeds {@code maxNorm} to that norm
   * before the optimizer's step, on the driver, as
   * {@link dev.annonet.train.Trainer#clipGradientNorm} does (default: no clipping); a gradient
   * norm that is not finite then stops the run as diverged. With {@link #localSteps} above 1
   * the update's combined mean gradient is clipped before it is multiplied by {@code k}; the
   * executors' local steps are not clipped.
   */
  public SparkTrainer<M> clipGradientNorm(double maxNorm) {
    if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
      throw new IllegalArgumentException("clipGradientNorm: maxNorm = " + maxNorm
          + " must be positive and finite, e.g. 1.0");
    }
    this.clipNorm = maxNorm;
    return this;
  }

  /**
   * The column holding each row's inputs (default {@code features}): an array of numbers
   * (array&lt;float&gt;, array&lt;double&gt;, ...) or an MLlib vector, dense or sparse, of
   * {@code org.apache.spark.ml.linalg} or the older {@code org.apache.spark.mllib.linalg}; every
   * row holds the network's input size of them. Vectors are turned into floats with
   * {@code org.apache.spark.ml.functions.vector_to_array(col, "float32")}, which rounds each
   * double as an array&lt;double&gt; column's are rounded, so a vector column trains as the
   * array column of the same values bit for bit.
   */
  public SparkTrainer<M> features(String column) {
    this.featureColumn = column(column, "features");
    return this;
  }

  /**
   * The column holding each row's target: a class index for classifiers, a number or an array
   * of the network's outputs otherwise (default {@code label}).
   */
  public SparkTrainer<M> label(String column) {
    this.labelColumn = column(column, "label");
    return this;
  }

  private static String column(String name, String method) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(method + ": give a column name, e.g. " + method
          + "(\"" + method + "\")");
    }
    return name;
  }

  /**
   * A data set on the driver to measure after every epoch (not trained on), checked against the
   * model now; null for none (the default). Cannot be combined with {@link #validationSplit}.
   */
  public SparkTrainer<M> validation(dev.annonet.data.Dataset validation) {
    if (validation != null) {
      if (validationFraction > 0) {
        throw new IllegalArgumentException("validation(Dataset) cannot be combined with "
            + "validationSplit(" + validationFraction + "), which already holds out part of the "
            + "DataFrame: use one of them");
      }
      Models.checkData(model, validation, "validation dataset");
    }
    this.validation = validation;
    return this;
  }

  /**
   * Holds out {@code fraction} (in (0, 1)) of the DataFrame's rows as the validation set,
   * measured on the executors after every epoch, and trains on the rest, as
   * {@link dev.annonet.train.Trainer#validationSplit} does. Which rows: number the rows in
   * partition order (as {@code collect()} returns them); the held-out rows are those that
   * {@code Trainer.validationSplit(fraction)} with the same seed holds out of rows in that order,
   * {@code rows.split(fraction, seed).test()}, or for classifiers
   * {@code rows.stratifiedSplit(fraction, seed).test()} (each class keeps its share; the labels
   * are gathered on the driver to choose them). Each row stays in its partition; the training
   * rows keep their partition order (the single-machine split shuffles them), so the run equals
   * {@code Trainer.partitions(sizes less the held-out rows).validation(heldOut)} fitted on the
   * remaining rows in partition order. The validation metrics are the partitions' combined:
   * the accuracy exactly, the loss to rounding. Cannot be combined with
   * {@link #validation(dev.annonet.data.Dataset)}.
   */
  public SparkTrainer<M> validationSplit(double fraction) {
    ValidationSplit.checkSetting(fraction, validation);
    this.validationFraction = fraction;
    return this;
  }

  /**
   * Stops when {@code metric}, measured on the validation set after every epoch, has not
   * improved on its best value for {@code patience} epochs in a row, and leaves the model with
   * the parameters of its best epoch, as {@link dev.annonet.train.Trainer#earlyStopping} does
   * ({@link TrainingReport#bestEpoch()} names it). Needs a validation set.
   */
  public SparkTrainer<M> earlyStopping(Metric metric, int patience) {
    EarlyStopping.check(metric, patience, model);
    this.stoppingMetric = metric;
    this.patience = patience;
    return this;
  }

  /** Adds code to run after every update and epoch; callbacks run in the order added. */
  public SparkTrainer<M> callback(Callback callback) {
    if (callback == null) {
      throw new IllegalArgumentException("callback is null");
    }
    callbacks.add(callback);
    return this;
  }

  /**
   * How the partitions' gradients are combined (default {@link Aggregation#IN_ORDER}, bit for bit
   * reproducible; {@link Aggregation#TREE} spares the driver one gradient per partition and gives
   * up bit-for-bit reproducibility).
   */
  public SparkTrainer<M> aggregation(Aggregation aggregation) {
    if (aggregation == null) {
      throw new IllegalArgumentException("aggregation is null: use Aggregation.IN_ORDER (the "
          + "default) or Aggregation.TREE");
    }
    this.aggregation = aggregation;
    return this;
  }

  /**
   * Local SGD: each update covers {@code k} consecutive minibatches (fewer at the end of an
   * epoch) instead of one, so the parameters travel and gradients are combined once per {@code k}
   * minibatches. Each partition starts from the broadcast parameters, computes the gradient of
   * its rows of the first minibatch, takes a plain SGD step with the update's scheduled step
   * size on its own copy of the parameters, computes the next minibatch's gradient there, and so
   * on; its slice is the row-weighted mean of its {@code k} gradients. The driver combines the
   * slices as {@link #aggregation} says and the optimizer, whose state stays on the driver, takes
   * one step on {@code k} times that mean gradient. With {@link dev.annonet.optim.Sgd} that step
   * moves the parameters by the row-weighted average of the partitions' local moves (exactly so
   * when every partition holds the same share of each minibatch): parameter averaging. With
   * {@code k = 1} no local step is taken and an update is the synchronous one, bit for bit. The
   * schedule counts updates, so with {@code k > 1} an epoch takes ceil(minibatches / k) of them.
   * Default 1.
   */
  public SparkTrainer<M> localSteps(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("localSteps: k must be at least 1 (1 is synchronous "
          + "training), got " + k);
    }
    this.localSteps = k;
    return this;
  }

  /**
   * Writes a {@link Checkpoint} of the run on the driver to {@code file} after every
   * {@code epochs} epochs and when training ends (atomically), in the single-machine trainer's
   * format. With {@link #resumeFrom} on the same file, a driver that is restarted continues where
   * the run left off and ends bit for bit as an uninterrupted run would, given the same
   * DataFrame with the same partitions (the checkpoint records a fingerprint of the partition
   * sizes, the local steps and the aggregation, and refuses other ones).
   */
  public SparkTrainer<M> checkpointEvery(int epochs, Path file) {
    if (epochs < 1) {
      throw new IllegalArgumentException("checkpointEvery: epochs must be at least 1, got "
          + epochs);
    }
    this.checkpointFile = Checkpoints.checkFile(file, "checkpointEvery");
    this.checkpointEvery = epochs;
    return this;
  }

  /**
   * Continues the run saved in {@code file} by {@link #checkpointEvery}: fit restores the model,
   * the optimizer's state, the sample order and the history, then trains from the next epoch up
   * to {@link #epochs}, early stopping's best epoch and patience count included. When
   * {@code file} does not exist, fit starts afresh. A checkpoint written by another network,
   * optimizer, seed, batch size, partitioning, validation set or early-stopping setting is
   * refused before any update.
   */
  public SparkTrainer<M> resumeFrom(Path file) {
    this.resumeFile = Checkpoints.checkFile(file, "resumeFrom");
    return this;
  }

  /** Turns the one log line per epoch off. */
  public SparkTrainer<M> quiet() {
    this.quiet = true;
    return this;
  }

  /**
   * Trains the driver's model on the rows of {@code data} and reports how it went. The columns,
   * their types and every row are checked before the first update; bad input fails with an
   * {@link IllegalArgumentException} naming the problem and the fix. The model is left in
   * inference mode.
   */
  public TrainingReport fit(Dataset<Row> data) {
    return onBlocks(data, this::train);
  }

  /**
   * Trains the driver's model on an RDD of rows, as {@link #fit(Dataset)} trains on a
   * DataFrame's (features, label) columns: the same packing and checks, rows numbered in
   * partition order, and the same result bit for bit for the same rows in the same partitions.
   */
  public TrainingReport fit(JavaRDD<LabeledRow> rows) {
    return onBlocks(rows, this::train);
  }

  /**
   * The gradient of the first update of the first epoch at the model's parameters, combined as
   * {@link #aggregation} says: what tests compare between aggregation modes.
   */
  float[] firstGradient(Dataset<Row> data) {
    return onBlocks(data, packed -> {
      JavaRDD<Block> blocks = packed.train();
      Layout layout = new Layout(packed.sizes());
      int[] first = new SampleOrder(layout.rows, seed).next();
      JavaSparkContext spark = JavaSparkContext.fromSparkContext(blocks.context());
      Broadcast<int[]> ordered = spark.broadcast(first.clone());
      float[] grads = new float[model.parameterCount()];
      int batch = Math.min(batchSize, layout.rows);
      gradient(blocks, ordered, layout.offsets, 0, batch, 1, Float.NaN, 0, grads);
      ordered.destroy();
      return grads;
    });
  }

  /**
   * The packed, cached rows: those to train on and their partition sizes, and the rows a
   * {@link #validationSplit} holds out (null without one) with a fingerprint of which they are.
   */
  private record Packed(JavaRDD<Block> train, List<Integer> sizes, JavaRDD<Block> heldOut,
      long heldOutFingerprint) {}

  /** What fit does with the packed rows. */
  private interface OnBlocks<T> {
    T run(Packed packed) throws SparkException;
  }

  /** Checks the DataFrame's columns, then runs {@code work} on its packed rows. */
  private <T> T onBlocks(Dataset<Row> data, OnBlocks<T> work) {
    if (data == null) {
      throw new IllegalArgumentException("the training DataFrame is null");
    }
    Packing packing = Packing.check(data.schema(), featureColumn, labelColumn, model);
    Dataset<Row> selected = Packing.vector(data.schema().apply(featureColumn).dataType())
        ? data.select(VectorColumn.toFloatArray(functions.col(featureColumn)),
            functions.col(labelColumn))
        : data.select(featureColumn, labelColumn);
    return onBlocks(selected.javaRDD(), packing, work);
  }

  /** Runs {@code work} on the packed rows of an RDD. */
  private <T> T onBlocks(JavaRDD<LabeledRow> rows, OnBlocks<T> work) {
    if (rows == null) {
      throw new IllegalArgumentException("the training RDD is null");
    }
    return onBlocks(rows.map(r -> RowFactory.create(r.features(), r.targets())),
        Packing.of(model), work);
  }

  /**
   * Checks the settings, packs the (features, label) rows, and runs {@code work} on them.
   */
  private <T> T onBlocks(JavaRDD<Row> rows, Packing packing, OnBlocks<T> work) {
    if (optimizer == null) {
      throw new IllegalStateException("no optimizer: call optimizer(...) before fit, "
          + "e.g. SparkTrainer.of(DigitsModel::new).optimizer(Adam.defaults())");
    }
    if (stoppingMetric != null && validation == null && validationFraction == 0) {
      throw new IllegalArgumentException("earlyStopping(" + stoppingMetric + ", " + patience
          + ") watches a validation set but none is given: add validationSplit(0.2) or "
          + "validation(Dataset)");
    }
    if (!model.buffers().isEmpty()) {
      throw new IllegalArgumentException(model.name() + " keeps running statistics "
          + model.buffers().keySet() + " (batch normalisation), which SparkTrainer does not "
          + "gather from executors yet: train it with Trainer on one machine");
    }
    JavaRDD<Block> blocks = rows.mapPartitionsWithIndex(packing::pack, false)
        .persist(StorageLevel.MEMORY_ONLY());
    List<Runnable> release = new ArrayList<>();
    release.add(() -> blocks.unpersist(false));
    try {
      List<Integer> sizes = blocks.map(b -> b.rows).collect();
      return work.run(validationFraction > 0 ? holdOut(blocks, sizes, release)
          : new Packed(blocks, sizes, null, 0));
    } catch (SparkException e) {
      throw unwrap(e);
    } finally {
      release.forEach(Runnable::run);
    }
  }

  /**
   * Splits the packed rows into those to train on and those {@link #validationSplit} holds out,
   * each kept in its partition; adds what to release after the run to {@code release}.
   */
  private Packed holdOut(JavaRDD<Block> blocks, List<Integer> sizes, List<Runnable> release) {
    Layout all = new Layout(sizes);
    int[] labels = null;
    if (ValidationSplit.stratified(model)) {
      int targets = model.targetSize();
      labels = new int[all.rows];
      int at = 0;
      for (int[] part : blocks.map(b -> b.labels(targets)).collect()) {
        System.arraycopy(part, 0, labels, at, part.length);
        at += part.length;
      }
    }
    int[] held = ValidationSplit.heldOut(model, all.rows, labels, validationFraction, seed);
    Arrays.sort(held);
    JavaSparkContext spark = JavaSparkContext.fromSparkContext(blocks.context());
    Broadcast<int[]> sent = spark.broadcast(held);
    int[] offsets = all.offsets;
    JavaRDD<Block> train = blocks.map(b -> b.select(sent.value(), offsets[b.partition], false))
        .persist(StorageLevel.MEMORY_ONLY());
    JavaRDD<Block> heldOut = blocks.map(b -> b.select(sent.value(), offsets[b.partition], true))
        .persist(StorageLevel.MEMORY_ONLY());
    release.add(() -> train.unpersist(false));
    release.add(() -> heldOut.unpersist(false));
    release.add(sent::destroy);
    List<Integer> trainSizes = new ArrayList<>();
    for (int k = 0; k < all.sizes.length; k++) {
      int end = offsets[k] + all.sizes[k];
      trainSizes.add(all.sizes[k]
          - (Block.lowerBound(held, end) - Block.lowerBound(held, offsets[k])));
    }
    return new Packed(train, trainSizes, heldOut, SparkCheckpoints.fingerprint(held));
  }

  /** The problem a task reported, when it is bad input, else the Spark failure itself. */
  private static RuntimeException unwrap(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException) {
        return new IllegalArgumentException(t.getMessage(), e);
      }
    }
    return new IllegalStateException("Spark job failed: " + e.getMessage(), e);
  }

  /** The partition sizes, where each partition starts in partition order, and the row count. */
  static final class Layout {
    final int[] sizes;
    final int[] offsets;
    final int rows;

    Layout(List<Integer> partitionSizes) {
      sizes = new int[partitionSizes.size()];
      offsets = new int[sizes.length];
      int n = 0;
      for (int k = 0; k < sizes.length; k++) {
        sizes[k] = partitionSizes.get(k);
        offsets[k] = n;
        n += sizes[k];
      }
      if (n == 0) {
        throw new IllegalArgumentException("the training DataFrame has no rows (it has "
            + sizes.length + " empty partitions): check the filter or the path it was read "
            + "from");
      }
      rows = n;
    }
  }

  /**
   * Runs one update's tasks at the model's parameters and writes the combined mean gradient into
   * {@code grads}; returns the mean loss. See {@link StepTask} for the arguments.
   */
  private float gradient(JavaRDD<Block> blocks, Broadcast<int[]> ordered, int[] offsets,
      int start, int batch, int minibatches, float localStepSize, long firstMinibatch,
      float[] grads) {
    JavaSparkContext spark = JavaSparkContext.fromSparkContext(blocks.context());
    Broadcast<float[]> sent = spark.broadcast(model.parameters().clone());
    try {
      JavaRDD<Slice> slices = blocks.mapPartitions(new StepTask(key(), factory, sent, ordered,
          offsets, start, batch, minibatches, localStepSize, seed, firstMinibatch));
      if (aggregation == Aggregation.TREE) {
        Partial total = slices.treeAggregate(new Partial(), Partial::add, Partial::merge);
        total.meanGradient(grads);
        return total.loss();
      }
      GradientSum sum = new GradientSum(grads.length);
      for (Slice s : slices.collect()) {
        sum.add(s.rows, s.loss, s.gradient);
      }
      sum.meanGradient(grads);
      return sum.loss();
    } finally {
      sent.destroy();
    }
  }

  /** Names the network in executors' model pools. */
  private String key() {
    return model.getClass().getName() + "/" + model.parameterCount();
  }

  private TrainingReport train(Packed packed) {
    JavaRDD<Block> blocks = packed.train();
    List<Integer> sizes = packed.sizes();
    long begin = System.nanoTime();
    Layout layout = new Layout(sizes);
    int n = layout.rows;
    JavaSparkContext spark = JavaSparkContext.fromSparkContext(blocks.context());
    String key = key();
    int batch = Math.min(batchSize, n);
    int steps = (n + batch - 1) / batch;
    int updatesPerEpoch = (steps + localSteps - 1) / localSteps;
    float[] params = model.parameters();
    float[] grads = new float[params.length];
    SampleOrder order = new SampleOrder(n, seed);
    History history = new History();
    optimizer.reset();
    EarlyStopping stopping =
        stoppingMetric == null ? null : new EarlyStopping(stoppingMetric, patience, model);
    Checkpoints checkpoints = SparkCheckpoints.of(model, optimizer, order, history, stopping,
        seed, batchSize, layout.sizes, localSteps, aggregation,
        validation != null ? validation.fingerprint() : packed.heldOutFingerprint());
    Checkpoint.Progress resumed = resumeFile == null ? null : checkpoints.resume(resumeFile);
    long updates = resumed == null ? 0 : resumed.updates();
    int first = resumed == null ? 0 : resumed.epoch();
    // The parameters after the last epoch whose loss and gradient were finite, and that epoch.
    float[] lastGood = params.clone();
    int lastGoodEpoch = first;
    Divergence divergence = null;
    float stepSize = Float.NaN;
    StopReason reason = StopReason.MAX_EPOCHS;
    String message = null;
    boolean stayedStopped = resumed != null && resumed.stopReason() != null
        && resumed.stopReason() != StopReason.MAX_EPOCHS;
    if (stayedStopped) {
      // A run that had stopped stays stopped and reports what it reported then.
      reason = resumed.stopReason();
      message = resumed.stopMessage();
      first = epochs;
    }
    for (Callback callback : callbacks) {
      callback.beforeTraining(epochs, updatesPerEpoch, n);
    }
    for (int epoch = first; epoch < epochs && reason == StopReason.MAX_EPOCHS; epoch++) {
      long epochStart = System.nanoTime();
      Broadcast<int[]> ordered = spark.broadcast(order.next().clone());
      for (int index = 1; index <= updatesPerEpoch; index++) {
        int minibatch = (index - 1) * localSteps;
        int covered = Math.min(localSteps, steps - minibatch);
        int start = minibatch * batch;
        int count = Math.min(covered * batch, n - start);
        float lr = schedule.stepSize(optimizer.learningRate(), epoch, updates);
        float loss = gradient(blocks, ordered, layout.offsets, start, batch, covered, lr,
            (long) epoch * steps + minibatch, grads);
        double norm = clipNorm > 0 && Float.isFinite(loss)
            ? GradientClipping.clip(grads, clipNorm) : 0;
        divergence = Divergence.ofUpdate(loss, norm, epoch + 1, index, updatesPerEpoch, lr);
        if (divergence != null) {
          break;
        }
        if (covered > 1) {
          // The optimizer steps on the sum of the minibatches' gradients, as the local steps
          // moved the parameters by each of them.
          for (int i = 0; i < grads.length; i++) {
            grads[i] *= covered;
          }
        }
        updates++;
        optimizer.step(params, grads, lr);
        stepSize = lr;
        for (Callback callback : callbacks) {
          callback.afterBatch(epoch + 1, index, count, loss);
        }
      }
      ordered.destroy();
      // As Trainer: an update whose loss (or clipped gradient norm) is not finite is not
      // applied, and an epoch whose training loss or gradient norm is not finite is not kept.
      double[] lossAndNorm = null;
      if (divergence == null) {
        lossAndNorm = evaluateTraining(spark, blocks, key, n);
        divergence = Divergence.afterEpoch(lossAndNorm[0], lossAndNorm[1], epoch + 1,
            updatesPerEpoch, stepSize);
      }
      if (divergence != null) {
        reason = StopReason.DIVERGED;
        message = divergence.describe(lastGoodEpoch, clipNorm > 0);
        System.arraycopy(lastGood, 0, params, 0, params.length);
        break;
      }
      System.arraycopy(params, 0, lastGood, 0, params.length);
      lastGoodEpoch = epoch + 1;
      model.setTraining(false);
      Metrics checked = validation != null ? Metrics.of(model, validation)
          : packed.heldOut() != null ? metrics(spark, packed.heldOut(), key) : Metrics.NONE;
      EpochRecord record = new EpochRecord(epoch + 1, lossAndNorm[0], lossAndNorm[1], stepSize,
          checked, (System.nanoTime() - epochStart) / 1e9);
      history.add(record);
      if (!quiet) {
        LOG.log(Level.INFO, () -> model.name() + " on Spark " + record.describe(epochs));
      }
      boolean stop = false;
      for (Callback callback : callbacks) {
        stop |= callback.afterEpoch(record, model);
      }
      boolean patienceOut = stopping != null && stopping.afterEpoch(record);
      if (record.gradientNorm() < tolerance) {
        reason = StopReason.GRADIENT_NORM;
        message = "the gradient norm " + record.gradientNorm() + " fell below the tolerance "
            + tolerance + " after epoch " + (epoch + 1);
      } else if (patienceOut) {
        reason = StopReason.EARLY_STOPPING;
        message = stopping.describeStop();
      } else if (stop) {
        reason = StopReason.CALLBACK;
        message = "a callback asked to stop after epoch " + (epoch + 1);
      }
      if (checkpointFile != null && reason == StopReason.MAX_EPOCHS
          && (epoch + 1) % checkpointEvery == 0 && epoch + 1 < epochs) {
        checkpoints.save(checkpointFile, epoch + 1, updates, null, null, Map.of());
      }
    }
    if (message == null) {
      message = "ran all " + epochs + " epochs";
    }
    if (!stayedStopped && stopping != null && stopping.bestEpoch() > 0) {
      message += (reason == StopReason.DIVERGED ? "; early stopping then " : "; ")
          + stopping.describeRestore();
    }
    int bestEpoch = stopping != null && stopping.restoreBest() ? stopping.bestEpoch() : 0;
    model.setTraining(false);
    if (checkpointFile != null) {
      // After all epochs went back to the best one, also the last epoch's parameters, from
      // which a run given more epochs goes on.
      checkpoints.save(checkpointFile, history.size(), updates, reason, message,
          reason == StopReason.MAX_EPOCHS && bestEpoch > 0
              ? Checkpoint.tensors(model, lastGood, Map.of()) : Map.of());
    }
    Metrics trainMetrics = metrics(spark, blocks, key);
    Metrics last = bestEpoch > 0 ? history.get(bestEpoch - 1).validation()
        : history.size() == 0 ? Metrics.NONE : history.last().validation();
    TrainingReport report = new TrainingReport(history, reason, message, bestEpoch, updates,
        trainMetrics, last, (System.nanoTime() - begin) / 1e9);
    if (!quiet) {
      LOG.log(reason == StopReason.DIVERGED ? Level.WARNING : Level.INFO,
          () -> model.name() + " on Spark " + report);
    }
    for (Callback callback : callbacks) {
      callback.afterTraining(report);
    }
    return report;
  }

  /** The mean training loss and the full training-gradient norm, summed in partition order. */
  private double[] evaluateTraining(JavaSparkContext spark, JavaRDD<Block> blocks, String key,
      int n) {
    Broadcast<float[]> sent = spark.broadcast(model.parameters().clone());
    List<EvaluationTask.Totals> parts =
        blocks.mapPartitions(new EvaluationTask(key, factory, sent, false)).collect();
    sent.destroy();
    double lossSum = 0;
    double[] gradientSum = new double[model.parameterCount()];
    for (EvaluationTask.Totals t : parts) {
      lossSum += t.lossSum;
      for (int i = 0; i < gradientSum.length; i++) {
        gradientSum[i] += t.gradientSum[i];
      }
    }
    double squares = 0;
    for (double g : gradientSum) {
      squares += (g / n) * (g / n);
    }
    return new double[] {lossSum / n, Math.sqrt(squares)};
  }

  /**
   * Loss and task metrics over the rows of {@code blocks}, each partition measured in inference
   * mode: the loss and errors are the partitions' means weighted by their rows; the accuracy
   * counts the correct rows (a partition's accuracy times its rows is a whole number) over all
   * rows, so it is one pass's accuracy exactly and equal counts give equal accuracies.
   */
  private Metrics metrics(JavaSparkContext spark, JavaRDD<Block> blocks, String key) {
    Broadcast<float[]> sent = spark.broadcast(model.parameters().clone());
    List<EvaluationTask.Totals> parts =
        blocks.mapPartitions(new EvaluationTask(key, factory, sent, true)).collect();
    sent.destroy();
    // Binary classifiers count every target, as Metrics does.
    long perRow = model.task() == Task.BINARY ? model.targetSize() : 1;
    double loss = 0;
    double mse = 0;
    double mae = 0;
    long correct = 0;
    long rows = 0;
    for (EvaluationTask.Totals t : parts) {
      rows += t.rows;
      loss += t.metrics[0] * t.rows;
      if (model.task() != Task.REGRESSION) {
        correct += Math.round(t.metrics[1] * t.rows * perRow);
      }
      mse += t.metrics[2] * t.rows;
      mae += t.metrics[3] * t.rows;
    }
    double accuracy = model.task() == Task.REGRESSION ? Double.NaN
        : (double) correct / (rows * perRow);
    return new Metrics(loss / rows, accuracy, mse / rows, mae / rows);
  }
}
