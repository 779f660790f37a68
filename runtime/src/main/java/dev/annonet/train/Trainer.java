package dev.annonet.train;

import dev.annonet.Model;
import dev.annonet.Models;
import dev.annonet.data.Dataset;
import dev.annonet.optim.Averaging;
import dev.annonet.optim.Optimizer;
import dev.annonet.optim.Schedule;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Trains a {@link Model} on a {@link Dataset} with minibatch updates, configured as a builder:
 * {@code Trainer.of(model).optimizer(opt).batchSize(64).epochs(20).fit(train)}.
 *
 * <p>Each epoch reshuffles the sample order from the seed and takes ceil(n / batchSize) steps
 * (one full-batch step for optimizers that need the objective), then measures the loss and the
 * gradient norm on the whole training set and the metrics on the validation set. Training stops
 * after {@link #epochs}, when the gradient norm falls below {@link #tolerance}, when
 * {@link #earlyStopping early stopping} or a {@link Callback} asks, or when a loss or gradient
 * stops being finite (then the parameters of the last finite epoch are put back). The same
 * model, data, optimizer and seed give bit-identical results. The model's parameters are
 * trained in place and are not re-initialised; a training step allocates nothing.
 *
 * <p>Every setting is checked when it is set: a bad value throws
 * {@link IllegalArgumentException} at the call that gave it.
 */
public final class Trainer {

  private static final System.Logger LOG = System.getLogger(Trainer.class.getName());

  private final Model model;
  private Optimizer optimizer;
  private Schedule schedule = Schedule.constant();
  private int batchSize = 32;
  private int epochs = 10;
  private long seed = 42;
  private double tolerance;
  private Dataset validation;
  private double validationFraction;
  private Metric stoppingMetric;
  private int patience;
  private double clipNorm;
  private final List<Callback> callbacks = new ArrayList<>();
  private boolean quiet;
  private int checkpointEvery;
  private Path checkpointFile;
  private Path resumeFile;
  private int[] partitions;
  private Averaging averaging;

  private Trainer(Model model) {
    this.model = model;
  }

  /** A trainer for {@code model}: batch size 32, 10 epochs, constant schedule, seed 42. */
  public static Trainer of(Model model) {
    if (model == null) {
      throw new IllegalArgumentException("model is null");
    }
    return new Trainer(model);
  }

  /** The update rule (required). */
  public Trainer optimizer(Optimizer optimizer) {
    if (optimizer == null) {
      throw new IllegalArgumentException("optimizer is null: pass an update rule, e.g. "
          + "Adam.defaults()");
    }
    this.optimizer = optimizer;
    return this;
  }

  /** The step-size schedule applied to the optimizer's learning rate (default constant). */
  public Trainer schedule(Schedule schedule) {
    this.schedule = schedule == null ? Schedule.constant() : schedule;
    return this;
  }

  /** Samples per update; larger than the data set means the whole data set (default 32). */
  public Trainer batchSize(int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize
          + ": use batchSize(1) for plain SGD or a size above the data set for full batch");
    }
    this.batchSize = batchSize;
    return this;
  }

  /** The maximum number of passes over the data (default 10). */
  public Trainer epochs(int epochs) {
    if (epochs <= 0) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
    this.epochs = epochs;
    return this;
  }

  /** Seed of the sample order (default 42). */
  public Trainer seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** Stops once the full training-set gradient norm is below this (default 0: never). */
  public Trainer tolerance(double tolerance) {
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("tolerance must be 0 or more, got " + tolerance
          + ": use 0 to train for all epochs");
    }
    this.tolerance = tolerance;
    return this;
  }

  /**
   * Data to measure after every epoch (not trained on), checked against the model now; null for
   * no separate validation set (the default). Cannot be combined with {@link #validationSplit}.
   */
  public Trainer validation(Dataset validation) {
    if (validation != null) {
      if (validationFraction > 0) {
        throw new IllegalArgumentException("validation(Dataset) cannot be combined with "
            + "validationSplit(" + validationFraction + "), which already holds out part of the "
            + "training data: use one of them");
      }
      Models.checkData(model, validation, "validation dataset");
    }
    this.validation = validation;
    return this;
  }

  /**
   * Holds out {@code fraction} (in (0, 1)) of the rows given to {@link #fit} as the validation
   * set and trains on the rest. The held-out rows are chosen from the seed, so a run is
   * reproducible: the sets are those of {@code data.split(fraction, seed)}, or for classifiers
   * of {@code data.stratifiedSplit(fraction, seed)} (each class keeps its share). Fails in fit()
   * if either part would be empty. Cannot be combined with {@link #validation(Dataset)}.
   */
  public Trainer validationSplit(double fraction) {
    ValidationSplit.checkSetting(fraction, validation);
    this.validationFraction = fraction;
    return this;
  }

  /**
   * Stops when {@code metric}, measured on the validation set after every epoch, has not
   * improved on its best value for {@code patience} epochs in a row; at the end of training the
   * model gets back the parameters and buffers (batch normalisation's running statistics) of
   * its best epoch, which {@link TrainingReport#bestEpoch()} names. Needs a validation set
   * ({@link #validation(Dataset)} or {@link #validationSplit}).
   */
  public Trainer earlyStopping(Metric metric, int patience) {
    EarlyStopping.check(metric, patience, model);
    this.stoppingMetric = metric;
    this.patience = patience;
    return this;
  }

  /**
   * Rescales each minibatch gradient whose Euclidean norm exceeds {@code maxNorm} to that norm
   * before the update, as PyTorch's {@code clip_grad_norm_} (default: no clipping).
   */
  public Trainer clipGradientNorm(double maxNorm) {
    if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
      throw new IllegalArgumentException("clipGradientNorm: maxNorm = " + maxNorm
          + " must be positive and finite, e.g. 1.0");
    }
    this.clipNorm = maxNorm;
    return this;
  }

  /** Adds code to run after every epoch; callbacks run in the order added. */
  public Trainer callback(Callback callback) {
    if (callback == null) {
      throw new IllegalArgumentException("callback is null");
    }
    callbacks.add(callback);
    return this;
  }

  /**
   * Writes a {@link Checkpoint} of the whole run to {@code file} after every {@code epochs}
   * epochs and when training ends (atomically: a crash leaves the previous checkpoint or the new
   * one). With {@link #resumeFrom} on the same file, a job that is killed and restarted continues
   * where it left off and ends bit for bit as an uninterrupted run would, early stopping
   * included. The checkpoint written at the end holds the parameters the model is left with (the
   * best epoch's with early stopping, the last finite epoch's after a divergence).
   */
  public Trainer checkpointEvery(int epochs, Path file) {
    if (epochs < 1) {
      throw new IllegalArgumentException("checkpointEvery: epochs must be at least 1, got "
          + epochs);
    }
    this.checkpointFile = Checkpoints.checkFile(file, "checkpointEvery");
    this.checkpointEvery = epochs;
    return this;
  }

  /**
   * Continues the run saved in {@code file} by {@link #checkpointEvery}: fit restores the
   * model's parameters, buffers and random state, the optimizer's state, the sample order and
   * the history and early stopping's best epoch and patience count, then trains from the next
   * epoch up to {@link #epochs} (a run that had stopped stays stopped, with the same report).
   * When {@code file} does not exist, fit starts afresh, as a restarted job wants. A checkpoint
   * that is damaged or was written by another network, optimizer, seed, batch size, data set or
   * early-stopping setting is refused before anything changes.
   */
  public Trainer resumeFrom(Path file) {
    this.resumeFile = Checkpoints.checkFile(file, "resumeFrom");
    return this;
  }

  /**
   * Computes every minibatch gradient as data-parallel training over these partitions of the
   * training rows does: rows {@code [0, sizes[0])} form partition 0, the next {@code sizes[1]}
   * rows partition 1, and so on. For each minibatch, the rows that fall in a partition (kept in
   * minibatch order) go through the model in one pass, and the partitions' results are combined
   * in partition order as {@link GradientSum} defines. The sample order and everything else are
   * those of plain training, which one partition reproduces bit for bit; a partition may be
   * empty. Each step costs one model pass per partition holding some of its rows.
   *
   * <p>This is how a distributed run (the {@code annonet-spark} module's {@code SparkTrainer})
   * is reproduced on one machine bit for bit: give the sizes of its partitions, and the rows in
   * partition order. The sizes must add up to the training rows (after a
   * {@link #validationSplit}), which fit() checks; full-batch optimizers take no partitions.
   */
  public Trainer partitions(int... sizes) {
    if (sizes == null || sizes.length == 0) {
      throw new IllegalArgumentException("partitions: give at least one partition size");
    }
    for (int k = 0; k < sizes.length; k++) {
      if (sizes[k] < 0) {
        throw new IllegalArgumentException("partitions: size " + k + " is " + sizes[k]
            + "; a partition holds 0 rows or more");
      }
    }
    this.partitions = sizes.clone();
    return this;
  }

  /**
   * Keeps the step-size-weighted average of the iterates, {@link Averaging#stepWeighted()}, the
   * averaged iterate of the course's SGD theorem; see {@link #averageIterates(Averaging)}.
   */
  public Trainer averageIterates() {
    return averageIterates(Averaging.stepWeighted());
  }

  /**
   * Keeps the running average {@code theta_bar} of the iterates that {@code averaging} selects
   * and uses it as the model being trained: after every epoch the validation metrics, the
   * callbacks and early stopping see {@code theta_bar}, and at the end the model holds it (or,
   * with early stopping, the best epoch's {@code theta_bar}), so the report's metrics and a
   * model saved after {@code fit} are the average's. Training itself continues from the
   * optimizer's iterate {@code theta}: the updates, the training loss and gradient norm of the
   * history (and so the tolerance and divergence checks) are {@code theta}'s. Running
   * statistics (batch normalisation) are those of {@code theta}, not recomputed for
   * {@code theta_bar}. While the average is empty (before {@code uniformFrom}'s start) the
   * model holds {@code theta}; after a divergence it gets back the last finite epoch's
   * {@code theta}, as without averaging. Checkpoints hold the average bit for bit, so a resumed
   * run averages on exactly as an uninterrupted one; a checkpoint written with another
   * averaging setting (or none) is refused. The average costs one double per parameter and
   * nothing per step besides the update itself.
   */
  public Trainer averageIterates(Averaging averaging) {
    if (averaging == null) {
      throw new IllegalArgumentException("averageIterates: averaging is null; pass"
          + " Averaging.stepWeighted() or Averaging.uniformFrom(start)");
    }
    this.averaging = averaging;
    return this;
  }

  /** Turns the one log line per epoch off. */
  public Trainer quiet() {
    this.quiet = true;
    return this;
  }

  /**
   * Trains the model on {@code data} (less the rows a {@link #validationSplit} holds out) and
   * reports how it went; checks the configuration and the data sets against the model first, so
   * bad input fails before any update. Updates run in training mode, the per-epoch evaluations
   * in inference mode; the model is left in inference mode, holding the parameters of the best
   * epoch with {@link #earlyStopping}, or of the last finite epoch after a divergence.
   */
  public TrainingReport fit(Dataset data) {
    Run run = prepare(data);
    Dataset train = run.train();
    long start = System.nanoTime();
    optimizer.reset();
    History history = new History();
    EarlyStopping stopping =
        stoppingMetric == null ? null : new EarlyStopping(stoppingMetric, patience, model);
    StopReason reason = StopReason.MAX_EPOCHS;
    Checkpoints checkpoints =
        Checkpoints.of(model, optimizer, run, history, stopping, seed, batchSize);
    Checkpoint.Progress resumed = resumeFile == null ? null : checkpoints.resume(resumeFile);
    if (resumed != null) {
      run.resume(resumed.updates());
    }
    int first = resumed == null ? 0 : resumed.epoch();
    // The parameters after the last epoch whose loss and gradient were finite: the initial or
    // the resumed ones to begin with.
    Snapshot lastGood = new Snapshot(model);
    lastGood.capture(first);
    // A run that had stopped stays stopped and reports what it reported then.
    String message = null;
    if (resumed != null && resumed.stopReason() != null
        && resumed.stopReason() != StopReason.MAX_EPOCHS) {
      reason = resumed.stopReason();
      message = resumed.stopMessage();
      first = epochs;
    }
    for (Callback callback : callbacks) {
      callback.beforeTraining(epochs, run.updatesPerEpoch(), train.size());
    }
    for (int epoch = first; epoch < epochs; epoch++) {
      long epochStart = System.nanoTime();
      if (!run.trainEpoch(epoch, callbacks) || !run.evaluateTraining()) {
        reason = StopReason.DIVERGED;
        break;
      }
      lastGood.capture(epoch + 1);
      // Measured, shown to callbacks and kept by early stopping: the averaged iterate, if any.
      run.useAverage();
      Metrics checked = run.validation() == null ? Metrics.NONE : run.metrics(run.validation());
      EpochRecord record = new EpochRecord(epoch + 1, run.trainLoss(), run.gradientNorm(),
          run.stepSize(), checked, (System.nanoTime() - epochStart) / 1e9);
      history.add(record);
      if (!quiet) {
        LOG.log(Level.INFO, () -> model.name() + " " + record.describe(epochs));
      }
      boolean stop = false;
      for (Callback callback : callbacks) {
        stop |= callback.afterEpoch(record, model);
      }
      boolean patienceOut = stopping != null && stopping.afterEpoch(record);
      run.useIterate();
      if (record.gradientNorm() < tolerance) {
        reason = StopReason.GRADIENT_NORM;
        break;
      }
      if (patienceOut) {
        reason = StopReason.EARLY_STOPPING;
        break;
      }
      if (stop) {
        reason = StopReason.CALLBACK;
        break;
      }
      if (checkpointFile != null && (epoch + 1) % checkpointEvery == 0 && epoch + 1 < epochs) {
        checkpoints.save(checkpointFile, epoch + 1, run.updates(), null, null, Map.of());
      }
    }
    if (message == null) {
      message = describe(reason, history, run.divergence(), lastGood.epoch(), stopping);
    }
    if (reason == StopReason.DIVERGED) {
      lastGood.restore();
    }
    int bestEpoch = stopping != null && stopping.restoreBest() ? stopping.bestEpoch() : 0;
    boolean averaged = false;
    if (reason != StopReason.DIVERGED && bestEpoch == 0 && run.average() != null
        && !run.average().isEmpty()) {
      run.useAverage();
      averaged = true;
    }
    if (checkpointFile != null) {
      // The parameters the model is left with; after all epochs went back to the best one or to
      // the average, also those of the last epoch (lastGood's), from which a run given more
      // epochs goes on.
      checkpoints.save(checkpointFile, history.size(), run.updates(), reason, message,
          reason == StopReason.MAX_EPOCHS && (bestEpoch > 0 || averaged) ? lastGood.tensors()
              : Map.of());
    }
    Metrics trainMetrics = run.metrics(train);
    Metrics last = bestEpoch > 0 ? history.get(bestEpoch - 1).validation()
        : history.size() == 0 ? Metrics.NONE : history.last().validation();
    TrainingReport report = new TrainingReport(history, reason, message, bestEpoch,
        run.updates(), trainMetrics, last, (System.nanoTime() - start) / 1e9);
    if (!quiet) {
      LOG.log(reason == StopReason.DIVERGED ? Level.WARNING : Level.INFO,
          () -> model.name() + " " + report);
    }
    for (Callback callback : callbacks) {
      callback.afterTraining(report);
    }
    return report;
  }

  /** The report's account of why training stopped and which parameters the model was left with. */
  private String describe(StopReason reason, History history, Divergence divergence,
      int lastGoodEpoch, EarlyStopping stopping) {
    String why;
    switch (reason) {
      case DIVERGED:
        why = divergence.describe(lastGoodEpoch, clipNorm > 0);
        break;
      case GRADIENT_NORM:
        why = "the gradient norm " + Metrics.format(history.last().gradientNorm())
            + " fell below the tolerance " + Metrics.format(tolerance) + " after epoch "
            + history.size();
        break;
      case EARLY_STOPPING:
        why = stopping.describeStop();
        break;
      case CALLBACK:
        why = "a callback asked to stop after epoch " + history.size();
        break;
      default:
        why = "ran all " + epochs + " epochs";
    }
    if (stopping == null || stopping.bestEpoch() == 0) {
      return why;
    }
    return why + (reason == StopReason.DIVERGED ? "; early stopping then " : "; ")
        + stopping.describeRestore();
  }

  /**
   * Checks everything fit() needs, holds out the validation rows if asked, and allocates the
   * run's buffers.
   */
  Run prepare(Dataset data) {
    if (optimizer == null) {
      throw new IllegalStateException("no optimizer: call optimizer(...) before fit, "
          + "e.g. Trainer.of(model).optimizer(Adam.defaults())");
    }
    if (data == null) {
      throw new IllegalArgumentException("the training dataset is null");
    }
    Models.checkData(model, data, "dataset");
    Dataset train = data;
    Dataset checked = validation;
    if (validationFraction > 0) {
      Dataset.Split split = ValidationSplit.of(model, data, validationFraction, seed);
      train = split.train();
      checked = split.test();
    }
    if (stoppingMetric != null && checked == null) {
      throw new IllegalArgumentException("earlyStopping(" + stoppingMetric + ", " + patience
          + ") watches a validation set but none is given: add validationSplit(0.2) or "
          + "validation(Dataset)");
    }
    if (partitions != null) {
      long rows = 0;
      for (int size : partitions) {
        rows += size;
      }
      if (rows != train.size()) {
        throw new IllegalArgumentException("partitions: the " + partitions.length
            + " partition sizes add up to " + rows + " rows but the training set has "
            + train.size() + (validationFraction > 0 ? " (after validationSplit)" : "")
            + ": give one size per partition, together covering every training row");
      }
      if (optimizer.needsObjective()) {
        throw new IllegalArgumentException("partitions: " + optimizer.getClass().getSimpleName()
            + " takes full-batch steps on the whole training set, which partitions do not "
            + "split: use a minibatch optimizer or drop partitions(...)");
      }
    }
    return new Run(model, optimizer, schedule, train, checked, batchSize, seed, clipNorm,
        partitions, averaging);
  }
}
