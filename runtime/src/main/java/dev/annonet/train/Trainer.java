package dev.annonet.train;

import dev.annonet.Model;
import dev.annonet.Task;
import dev.annonet.data.Dataset;
import dev.annonet.io.Checkpoint;
import dev.annonet.optim.Optimizer;
import dev.annonet.optim.Schedule;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a {@link Model} on a {@link Dataset} with minibatch updates, configured as a builder:
 * {@code Trainer.of(model).optimizer(opt).batchSize(64).epochs(20).fit(train)}.
 *
 * <p>Each epoch reshuffles the sample order from the seed and takes ceil(n / batchSize) steps
 * (one full-batch step for optimizers that need the objective), then measures the loss and the
 * gradient norm on the whole training set and the metrics on the validation set. Training stops
 * after {@link #epochs}, when the gradient norm falls below {@link #tolerance}, when a
 * {@link Callback} asks, or when the loss stops being finite. The same model, data, optimizer
 * and seed give bit-identical results. The model's parameters are trained in place and are not
 * re-initialised; a training step allocates nothing.
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
  private final List<Callback> callbacks = new ArrayList<>();
  private boolean quiet;
  private int checkpointEvery;
  private Path checkpointFile;
  private Path resumeFile;

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
    this.batchSize = batchSize;
    return this;
  }

  /** The maximum number of passes over the data (default 10). */
  public Trainer epochs(int epochs) {
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
    this.tolerance = tolerance;
    return this;
  }

  /** Data to measure after every epoch (not trained on); null for none. */
  public Trainer validation(Dataset validation) {
    this.validation = validation;
    return this;
  }

  /** Adds code to run after every epoch; callbacks run in the order added. */
  public Trainer callback(Callback callback) {
    callbacks.add(callback);
    return this;
  }

  /**
   * Writes a {@link Checkpoint} of the whole run to {@code file} after every {@code epochs}
   * epochs and when training ends (atomically: a crash leaves the previous checkpoint or the new
   * one). With {@link #resumeFrom} on the same file, a job that is killed and restarted continues
   * where it left off and ends bit for bit as an uninterrupted run would.
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
   * the history, then trains from the next epoch up to {@link #epochs} (a run that had stopped
   * stays stopped). When {@code file} does not exist, fit starts afresh, as a restarted job
   * wants. A checkpoint that is damaged or was written by another network, optimizer, seed,
   * batch size or data set is refused before anything changes.
   */
  public Trainer resumeFrom(Path file) {
    this.resumeFile = Checkpoints.checkFile(file, "resumeFrom");
    return this;
  }

  /** Turns the one log line per epoch off. */
  public Trainer quiet() {
    this.quiet = true;
    return this;
  }

  /**
   * Trains the model on {@code train} and reports how it went; checks the configuration and
   * both data sets against the model first, so bad input fails before any update. Updates run
   * in training mode, the per-epoch evaluations in inference mode; the model is left in
   * inference mode.
   */
  public TrainingReport fit(Dataset train) {
    Run run = prepare(train);
    long start = System.nanoTime();
    optimizer.reset();
    History history = new History();
    StopReason reason = StopReason.MAX_EPOCHS;
    Checkpoints checkpoints = new Checkpoints(model, optimizer, run, history, seed, batchSize);
    Checkpoint.Progress resumed = resumeFile == null ? null : checkpoints.resume(resumeFile);
    int first = resumed == null ? 0 : resumed.epoch();
    if (resumed != null && resumed.stopReason() != null
        && resumed.stopReason() != StopReason.MAX_EPOCHS) {
      reason = resumed.stopReason();
      first = epochs;
    }
    for (Callback callback : callbacks) {
      callback.beforeTraining(epochs, run.updatesPerEpoch(), train.size());
    }
    for (int epoch = first; epoch < epochs; epoch++) {
      long epochStart = System.nanoTime();
      run.trainEpoch(epoch, callbacks);
      run.evaluateTraining();
      Metrics checked = validation == null ? Metrics.NONE : run.metrics(validation);
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
      if (!Double.isFinite(record.trainLoss())) {
        reason = StopReason.DIVERGED;
        break;
      }
      if (record.gradientNorm() < tolerance) {
        reason = StopReason.GRADIENT_NORM;
        break;
      }
      if (stop) {
        reason = StopReason.CALLBACK;
        break;
      }
      if (checkpointFile != null && (epoch + 1) % checkpointEvery == 0 && epoch + 1 < epochs) {
        checkpoints.save(checkpointFile, epoch + 1, null);
      }
    }
    if (checkpointFile != null) {
      checkpoints.save(checkpointFile, history.size(), reason);
    }
    Metrics trainMetrics = run.metrics(train);
    Metrics last = history.size() == 0 ? Metrics.NONE : history.last().validation();
    TrainingReport report = new TrainingReport(history, reason, run.updates(), trainMetrics,
        last, (System.nanoTime() - start) / 1e9);
    if (!quiet) {
      LOG.log(Level.INFO, () -> model.name() + " " + report);
    }
    return report;
  }

  /** Checks everything fit() needs and allocates the run's buffers. */
  Run prepare(Dataset train) {
    if (optimizer == null) {
      throw new IllegalStateException("no optimizer: call optimizer(...) before fit, "
          + "e.g. Trainer.of(model).optimizer(Adam.defaults())");
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize
          + ": use batchSize(1) for plain SGD or a size above the data set for full batch");
    }
    if (epochs <= 0) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("tolerance must be 0 or more, got " + tolerance
          + ": use 0 to train for all epochs");
    }
    if (train == null) {
      throw new IllegalArgumentException("the training dataset is null");
    }
    check(train, "dataset");
    int largest = train.size();
    if (validation != null) {
      check(validation, "validation dataset");
      largest = Math.max(largest, validation.size());
    }
    return new Run(model, optimizer, schedule, train, batchSize, seed, largest);
  }

  private void check(Dataset data, String name) {
    if (data.inputSize() != model.inputSize()) {
      throw new IllegalArgumentException("the network takes " + model.inputSize()
          + " inputs per sample but the " + name + " rows have " + data.inputSize()
          + " values: give it " + model.inputSize() + " feature columns (is the target column "
          + "among the features?) or change the network's @Input size");
    }
    if (data.targetSize() != model.targetSize()) {
      String wanted = model.task() == Task.MULTICLASS
          ? "1 target per sample (a class index)"
          : model.targetSize() + " target(s) per sample, one per output";
      throw new IllegalArgumentException("the network takes " + wanted + " but the " + name
          + " has " + data.targetSize() + " per row: "
          + (model.task() == Task.MULTICLASS
              ? "store labels as class indices, not one-hot vectors"
              : "give it " + model.targetSize() + " target columns or change the last layer"));
    }
    if (model.task() == Task.MULTICLASS) {
      int classes = model.outputSize();
      for (int i = 0; i < data.size(); i++) {
        float label = data.target(i, 0);
        if (label != Math.rint(label)) {
          throw new IllegalArgumentException("row " + i + " of the " + name + " has label "
              + label + ", which is not a class index: labels must be whole numbers 0.."
              + (classes - 1) + " (is this a regression target?)");
        }
        if (label < 0 || label >= classes) {
          throw new IllegalArgumentException("row " + i + " of the " + name + " has label "
              + (int) label + " but the network has " + classes + " classes (labels 0.."
              + (classes - 1) + "): re-encode the labels or give the last layer more units");
        }
      }
    } else if (model.task() == Task.BINARY) {
      for (int i = 0; i < data.size(); i++) {
        for (int k = 0; k < data.targetSize(); k++) {
          float t = data.target(i, k);
          if (t != 0 && t != 1) {
            throw new IllegalArgumentException("row " + i + ", target column " + k + " of the "
                + name + " is " + t + " but a binary network needs targets 0 or 1: "
                + "re-encode the target (or use a regression loss)");
          }
        }
      }
    }
  }
}
