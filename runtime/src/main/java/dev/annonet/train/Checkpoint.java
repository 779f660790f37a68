package dev.annonet.train;

import dev.annonet.Model;
import dev.annonet.io.CheckpointFile;
import dev.annonet.io.ModelFile;
import dev.annonet.io.SafeTensors;
import dev.annonet.optim.IterateAverage;
import dev.annonet.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training run's whole state in one file, so that a run stopped after any epoch continues bit
 * for bit: the model's parameters, state buffers and random streams, the optimizer's state
 * arrays and step count, the trainer's progress (epochs and updates done, the sample-order
 * generator's state and the last sample order), the history so far and, with early stopping, the
 * best epoch's parameters and buffers. Written by {@code Trainer.checkpointEvery}, read by
 * {@code Trainer.resumeFrom}. The last checkpoint of a run holds the parameters the model was
 * left with: those of the best epoch with early stopping, those of the last finite epoch after a
 * divergence.
 *
 * <p>This class is the trainer's state as a file: what goes in and how it comes back. The file
 * format, safetensors with a whole-file checksum written atomically, is {@link CheckpointFile}'s.
 * It holds tensors {@code model.<name>} as {@link ModelFile} names them, {@code best.<name>}
 * (the best epoch's, with early stopping once an epoch was best), {@code last.<name>} (see
 * {@link #lastEpoch}), {@code optimizer.<k>} in the order of {@link Optimizer#state()}, {@code
 * trainer.order} (I32), with iterate averaging {@code trainer.average} (see {@link Average}),
 * and the scalars and history as metadata. {@link #write} is atomic;
 * {@link #read} refuses a truncated, corrupted or foreign file and {@link #restore} one that does
 * not fit the model or optimizer, each with a message naming the file and the problem.
 *
 * @param network the name of the network it was taken from
 * @param layers the network's layers as {@link dev.annonet.LayerInfo#summary(List)} lists them
 * @param model the parameters and state buffers by PyTorch name (as {@link ModelFile} writes)
 * @param modelRandom the model's {@linkplain Model#randomState() random state}
 * @param optimizer the optimizer's state
 * @param progress the trainer's position in the run
 * @param history one record per epoch run so far
 * @param best the early-stopping state, or null for a run without early stopping
 * @param lastEpoch the parameters and buffers after the last epoch, by PyTorch name, when they
 *     differ from {@code model}: only in the last checkpoint of a run that ran all its epochs
 *     and was left with its best epoch's parameters or its averaged iterate (a run given more
 *     epochs continues from these); empty otherwise
 * @param average the running average of the iterates ({@code Trainer.averageIterates}), or null
 *     for a run without averaging and in files written before averaging existed
 * @param source where it was read from ({@code "memory"} for one not read from a file)
 */
public record Checkpoint(
    String network,
    String layers,
    Map<String, SafeTensors.Tensor> model,
    long[] modelRandom,
    OptimizerState optimizer,
    Progress progress,
    List<EpochRecord> history,
    Best best,
    Map<String, SafeTensors.Tensor> lastEpoch,
    Average average,
    String source) {

  /** A checkpoint of a run without iterate averaging. */
  public Checkpoint(String network, String layers, Map<String, SafeTensors.Tensor> model,
      long[] modelRandom, OptimizerState optimizer, Progress progress, List<EpochRecord> history,
      Best best, Map<String, SafeTensors.Tensor> lastEpoch, String source) {
    this(network, layers, model, modelRandom, optimizer, progress, history, best, lastEpoch,
        null, source);
  }

  /**
   * The format version this class writes and reads: 2 added the early-stopping state, the
   * parameters after the last epoch and the stop message; 3 the network's layers and the
   * fingerprints of the training and validation data.
   */
  public static final int VERSION = 3;

  private static final String MODEL = "model.";
  private static final String BEST = "best.";
  private static final String LAST = "last.";
  private static final String OPTIMIZER = "optimizer.";
  private static final String ORDER = "trainer.order";
  private static final String AVERAGE = "trainer.average";

  /**
   * An optimizer's state.
   *
   * @param kind the optimizer's class (simple name)
   * @param settings its settings as its {@code toString()} shows them
   * @param arrays copies of {@link Optimizer#state()}
   * @param steps {@link Optimizer#steps()}
   */
  public record OptimizerState(String kind, String settings, float[][] arrays, long steps) {

    /** A copy of {@code optimizer}'s state. */
    public static OptimizerState of(Optimizer optimizer) {
      float[][] live = optimizer.state();
      float[][] arrays = new float[live.length][];
      for (int k = 0; k < live.length; k++) {
        arrays[k] = live[k].clone();
      }
      return new OptimizerState(optimizer.getClass().getSimpleName(), optimizer.toString(),
          arrays, optimizer.steps());
    }
  }

  /**
   * Where the trainer is in the run.
   *
   * @param epoch epochs completed; a resumed run starts with the next one
   * @param updates optimizer steps taken (the schedules' iteration counter)
   * @param seed the trainer's shuffle seed
   * @param batchSize the trainer's batch size
   * @param samples rows in the training set
   * @param data the training set's {@link dev.annonet.data.Dataset#fingerprint()}
   * @param validationData the validation set's fingerprint, or 0 for a run without one
   * @param shuffleState the sample-order generator's state
   * @param order the last sample order, which the next epoch reshuffles
   * @param stopReason why training ended, or null while the run is unfinished
   * @param stopMessage the training report's message when the run ended, or null while it is
   *     unfinished
   * @param settings the trainer's settings that fix the run beyond the others here, as
   *     comma-separated {@code name value} pairs (a distributed trainer's
   *     {@code localSteps 1, aggregation IN_ORDER}); empty for the single-machine trainer and in
   *     files written before it was recorded
   */
  public record Progress(int epoch, long updates, long seed, int batchSize, int samples,
      long data, long validationData, long shuffleState, int[] order, StopReason stopReason,
      String stopMessage, String settings) {

    /** Progress without {@code settings}, as the single-machine trainer records it. */
    public Progress(int epoch, long updates, long seed, int batchSize, int samples, long data,
        long validationData, long shuffleState, int[] order, StopReason stopReason,
        String stopMessage) {
      this(epoch, updates, seed, batchSize, samples, data, validationData, shuffleState, order,
          stopReason, stopMessage, "");
    }
  }

  /**
   * The early-stopping state: which metric and patience ({@code Trainer.earlyStopping}), the best
   * epoch so far and its parameters and buffers. The epochs without improvement since are counted
   * again from the history.
   *
   * @param setting the metric and patience, e.g. {@code validation loss, patience 5}
   * @param epoch the best epoch so far (from 1), 0 before any
   * @param model its parameters and buffers by PyTorch name; empty when {@code epoch} is 0
   */
  public record Best(String setting, int epoch, Map<String, SafeTensors.Tensor> model) {}

  /**
   * The running average of the iterates: its {@link dev.annonet.optim.Averaging} setting as
   * {@code toString()} writes it (metadata {@code averaging}), the weight sum {@code S}
   * (metadata {@code average_weight}, the double's bits in hex) and the average itself, kept in
   * double as {@link IterateAverage} keeps it. The format writes floats only as F32, so the
   * average is stored bit for bit as I32 tensor {@code trainer.average} of shape {@code [n, 2]}
   * holding each double's low and high 32 bits (the bytes of a little-endian F64).
   */
  public record Average(String setting, double weight, double[] mean) {

    /** A copy of {@code average}'s state. */
    public static Average of(IterateAverage average) {
      return new Average(average.averaging().toString(), average.weight(),
          average.mean().clone());
    }

    private SafeTensors.IntTensor bits() {
      int[] words = new int[2 * mean.length];
      for (int i = 0; i < mean.length; i++) {
        long b = Double.doubleToRawLongBits(mean[i]);
        words[2 * i] = (int) b;
        words[2 * i + 1] = (int) (b >>> 32);
      }
      return new SafeTensors.IntTensor(new int[] {mean.length, 2}, words);
    }

    private static double[] values(SafeTensors.IntTensor bits, String source)
        throws IOException {
      int[] shape = bits.shape();
      if (shape.length != 2 || shape[1] != 2) {
        throw new IOException(source + " is corrupted: its '" + AVERAGE + "' has shape "
            + java.util.Arrays.toString(shape) + " instead of [parameters, 2]");
      }
      int[] words = bits.data();
      double[] mean = new double[shape[0]];
      for (int i = 0; i < mean.length; i++) {
        mean[i] = Double.longBitsToDouble(
            (words[2 * i] & 0xFFFFFFFFL) | ((long) words[2 * i + 1] << 32));
      }
      return mean;
    }
  }

  /** Captures copies of {@code model}'s and {@code optimizer}'s state with the progress. */
  public static Checkpoint of(Model model, Optimizer optimizer, Progress progress,
      List<EpochRecord> history) {
    return of(model, optimizer, progress, history, null, Map.of());
  }

  /**
   * Captures copies of {@code model}'s and {@code optimizer}'s state with the progress, the
   * early-stopping state ({@code best}, null for none) and the parameters after the last epoch
   * ({@code lastEpoch}, see {@link #lastEpoch()}; empty for none).
   */
  public static Checkpoint of(Model model, Optimizer optimizer, Progress progress,
      List<EpochRecord> history, Best best, Map<String, SafeTensors.Tensor> lastEpoch) {
    return of(model, optimizer, progress, history, best, lastEpoch, null);
  }

  /**
   * As {@link #of(Model, Optimizer, Progress, List, Best, Map)}, with a copy of the iterate
   * average {@code average} (null for none).
   */
  public static Checkpoint of(Model model, Optimizer optimizer, Progress progress,
      List<EpochRecord> history, Best best, Map<String, SafeTensors.Tensor> lastEpoch,
      IterateAverage average) {
    return new Checkpoint(model.name(), dev.annonet.LayerInfo.summary(model.layers()),
        ModelFile.tensors(model, true),
        model.randomState().clone(), OptimizerState.of(optimizer), progress,
        List.copyOf(history), best,
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(lastEpoch)),
        average == null ? null : Average.of(average), "memory");
  }

  /**
   * Copies of {@code parameters} and {@code buffers}, laid out as {@code model}'s (a copy kept
   * by the trainer), by PyTorch name: the form of {@link Best#model} and {@link #lastEpoch}.
   */
  public static Map<String, SafeTensors.Tensor> tensors(Model model, float[] parameters,
      Map<String, float[]> buffers) {
    return ModelFile.tensors(model, parameters, buffers);
  }

  /**
   * Copies {@code tensors} (by PyTorch name, checked by {@link #restore} to fit {@code model})
   * into {@code parameters} and {@code buffers}, laid out as {@code model}'s.
   */
  public static void copy(Map<String, SafeTensors.Tensor> tensors, Model model,
      float[] parameters, Map<String, float[]> buffers) {
    ModelFile.copy(tensors, model, parameters, buffers);
  }

  /**
   * Writes the checkpoint to {@code path} atomically, replacing an older one; temporary files
   * left by a writer that was killed are removed first.
   */
  public void write(Path path) throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("version", Integer.toString(VERSION));
    meta.put("network", network);
    meta.put("layers", layers);
    meta.put("model_random", hex(modelRandom));
    meta.put("optimizer", optimizer.kind());
    meta.put("optimizer_settings", optimizer.settings());
    meta.put("optimizer_steps", Long.toString(optimizer.steps()));
    meta.put("epoch", Integer.toString(progress.epoch()));
    meta.put("updates", Long.toString(progress.updates()));
    meta.put("seed", Long.toString(progress.seed()));
    meta.put("batch_size", Integer.toString(progress.batchSize()));
    meta.put("samples", Integer.toString(progress.samples()));
    meta.put("data", Long.toHexString(progress.data()));
    meta.put("validation_data", Long.toHexString(progress.validationData()));
    meta.put("shuffle_state", Long.toHexString(progress.shuffleState()));
    meta.put("stop", progress.stopReason() == null ? "" : progress.stopReason().name());
    meta.put("stop_message", progress.stopMessage() == null ? "" : progress.stopMessage());
    meta.put("early_stopping", best == null ? "" : best.setting());
    meta.put("best_epoch", Integer.toString(best == null ? 0 : best.epoch()));
    meta.put("history", History.encode(history));
    if (!progress.settings().isEmpty()) {
      meta.put("trainer_settings", progress.settings());
    }
    if (average != null) {
      meta.put("averaging", average.setting());
      meta.put("average_weight", Long.toHexString(Double.doubleToRawLongBits(average.weight())));
    }
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
    model.forEach((name, t) -> tensors.put(MODEL + name, t));
    if (best != null) {
      best.model().forEach((name, t) -> tensors.put(BEST + name, t));
    }
    lastEpoch.forEach((name, t) -> tensors.put(LAST + name, t));
    float[][] arrays = optimizer.arrays();
    for (int k = 0; k < arrays.length; k++) {
      tensors.put(OPTIMIZER + k, new SafeTensors.Tensor(new int[] {arrays[k].length}, arrays[k]));
    }
    int[] order = progress.order();
    Map<String, SafeTensors.IntTensor> ints = new LinkedHashMap<>();
    ints.put(ORDER, new SafeTensors.IntTensor(new int[] {order.length}, order));
    if (average != null) {
      ints.put(AVERAGE, average.bits());
    }
    CheckpointFile.write(tensors, ints, meta, path);
  }

  /**
   * Reads a checkpoint, checking its length, checksum, format and contents first.
   *
   * @throws java.nio.file.NoSuchFileException if there is no file at {@code path}
   * @throws IOException if the file is unreadable, truncated, corrupted, not a checkpoint or
   *     written by a newer format; the message names the file and the problem
   */
  public static Checkpoint read(Path path) throws IOException {
    String source = path.toString();
    SafeTensors.Contents contents = CheckpointFile.read(path);
    Map<String, String> meta = contents.metadata();
    int version = (int) number(meta, "version", source);
    if (version != VERSION) {
      throw new IOException(source + " is a checkpoint of format version " + version
          + " but this Annonet reads version " + VERSION + ": resume it with the Annonet that"
          + " wrote it");
    }
    Map<String, SafeTensors.Tensor> model = new LinkedHashMap<>();
    Map<String, SafeTensors.Tensor> bestModel = new LinkedHashMap<>();
    Map<String, SafeTensors.Tensor> lastEpoch = new LinkedHashMap<>();
    List<float[]> arrays = new ArrayList<>();
    for (Map.Entry<String, SafeTensors.Tensor> e : contents.tensors().entrySet()) {
      String name = e.getKey();
      if (name.startsWith(MODEL)) {
        model.put(name.substring(MODEL.length()), e.getValue());
      } else if (name.startsWith(BEST)) {
        bestModel.put(name.substring(BEST.length()), e.getValue());
      } else if (name.startsWith(LAST)) {
        lastEpoch.put(name.substring(LAST.length()), e.getValue());
      } else if (name.equals(OPTIMIZER + arrays.size())) {
        arrays.add(e.getValue().data());
      } else {
        throw new IOException(source + " has an unexpected tensor '" + name + "'");
      }
    }
    SafeTensors.IntTensor order = contents.ints().get(ORDER);
    if (order == null) {
      throw new IOException(source + " has no tensor '" + ORDER + "'");
    }
    OptimizerState optimizer = new OptimizerState(text(meta, "optimizer", source),
        text(meta, "optimizer_settings", source), arrays.toArray(new float[0][]),
        number(meta, "optimizer_steps", source));
    String stop = text(meta, "stop", source);
    String message = text(meta, "stop_message", source);
    Progress progress;
    try {
      progress = new Progress((int) number(meta, "epoch", source),
          number(meta, "updates", source), number(meta, "seed", source),
          (int) number(meta, "batch_size", source), (int) number(meta, "samples", source),
          Long.parseUnsignedLong(text(meta, "data", source), 16),
          Long.parseUnsignedLong(text(meta, "validation_data", source), 16),
          Long.parseUnsignedLong(text(meta, "shuffle_state", source), 16), order.data(),
          stop.isEmpty() ? null : StopReason.valueOf(stop), message.isEmpty() ? null : message,
          meta.getOrDefault("trainer_settings", ""));
    } catch (IllegalArgumentException e) {
      throw new IOException(source + " has a malformed entry: " + e.getMessage(), e);
    }
    if (stop.isEmpty() != message.isEmpty()) {
      throw new IOException(source + " is corrupted: it has a stop reason '" + stop
          + "' but a stop message '" + message + "'; a finished run has both, an unfinished one"
          + " neither");
    }
    Best best = best(meta, bestModel, progress, source);
    Average average = average(meta, contents.ints().get(AVERAGE), source);
    if (!lastEpoch.isEmpty() && (progress.stopReason() != StopReason.MAX_EPOCHS
        || (best == null || best.epoch() == 0) && average == null)) {
      throw new IOException(source + " is corrupted: it holds parameters after the last epoch"
          + " ('" + LAST + "' tensors), which only the end of a run that ran all its epochs and"
          + " went back to its best epoch or to its averaged iterate has");
    }
    return new Checkpoint(text(meta, "network", source), text(meta, "layers", source), model,
        unhex(text(meta, "model_random", source), source), optimizer, progress,
        History.decode(text(meta, "history", source), source), best, lastEpoch, average,
        source);
  }

  /**
   * The iterate average in the metadata and the {@code trainer.average} tensor, checked; null
   * when the file has neither (a run without averaging, or a file older than averaging).
   */
  private static Average average(Map<String, String> meta, SafeTensors.IntTensor bits,
      String source) throws IOException {
    String setting = meta.get("averaging");
    if (setting == null && bits == null) {
      return null;
    }
    if (setting == null || bits == null) {
      throw new IOException(source + " is corrupted: it has " + (setting == null
          ? "a '" + AVERAGE + "' tensor but no 'averaging' setting"
          : "an 'averaging' setting but no '" + AVERAGE + "' tensor"));
    }
    double weight;
    try {
      weight = Double.longBitsToDouble(
          Long.parseUnsignedLong(text(meta, "average_weight", source), 16));
    } catch (NumberFormatException e) {
      throw new IOException(source + " has a malformed 'average_weight': "
          + meta.get("average_weight"), e);
    }
    return new Average(setting, weight, Average.values(bits, source));
  }

  /** The early-stopping state in the metadata and the {@code best.} tensors, checked. */
  private static Best best(Map<String, String> meta, Map<String, SafeTensors.Tensor> model,
      Progress progress, String source) throws IOException {
    String setting = text(meta, "early_stopping", source);
    long epoch = number(meta, "best_epoch", source);
    if (setting.isEmpty()) {
      if (epoch != 0 || !model.isEmpty()) {
        throw new IOException(source + " is corrupted: it has a best epoch (" + epoch + ") or '"
            + BEST + "' tensors but no early-stopping setting");
      }
      return null;
    }
    if (epoch < 0 || epoch > progress.epoch()) {
      throw new IOException(source + " is corrupted: its best epoch " + epoch + " is not one of"
          + " the " + progress.epoch() + " epochs run");
    }
    if ((epoch > 0) == model.isEmpty()) {
      throw new IOException(source + " is corrupted: its best epoch is " + epoch + " but it"
          + (model.isEmpty() ? " holds no '" + BEST + "' tensors" : " holds '" + BEST
          + "' tensors"));
    }
    return new Best(setting, (int) epoch, model);
  }

  /**
   * Puts the model and the optimizer back in the state this checkpoint holds; the model gets
   * {@link #lastEpoch} when there is one (where training goes on from), else {@link #model}.
   * Everything is checked before anything changes: a checkpoint of another network, of
   * differently shaped layers, of another optimizer or of other optimizer settings is refused
   * and leaves both untouched. The best epoch's tensors are checked to fit too; the trainer
   * copies them with {@link #copy}.
   *
   * @throws IOException naming {@link #source()} and every difference
   */
  public void restore(Model target, Optimizer opt) throws IOException {
    restore(target, opt, null);
  }

  /**
   * As {@link #restore(Model, Optimizer)}, also putting the iterate average back into
   * {@code targetAverage} (null for a run without averaging, whose settings the caller has
   * checked against {@link #average}).
   */
  public void restore(Model target, Optimizer opt, IterateAverage targetAverage)
      throws IOException {
    List<String> problems = new ArrayList<>();
    if (targetAverage != null && average != null
        && average.mean().length != target.parameterCount()) {
      problems.add("its iterate average has " + average.mean().length + " values, the network"
          + " has " + target.parameterCount() + " parameters");
    }
    if (targetAverage != null && average != null
        && !(average.weight() >= 0 && average.weight() < Double.POSITIVE_INFINITY)) {
      problems.add("its iterate average has weight sum " + average.weight() + ", not a finite"
          + " number of at least 0");
    }
    String other = ModelFile.otherNetwork(target, network, layers);
    if (other != null) {
      problems.add("it was written for " + other);
    }
    problems.addAll(ModelFile.problems(target, model));
    if (best != null && best.epoch() > 0) {
      for (String problem : ModelFile.problems(target, best.model())) {
        problems.add("best epoch: " + problem);
      }
    }
    if (!lastEpoch.isEmpty()) {
      for (String problem : ModelFile.problems(target, lastEpoch)) {
        problems.add("last epoch: " + problem);
      }
    }
    int randomLength = target.randomState().length;
    if (modelRandom.length != randomLength) {
      problems.add("it holds " + modelRandom.length + " random state value(s) for the model, "
          + target.name() + " keeps " + randomLength);
    }
    if (!optimizer.kind().equals(opt.getClass().getSimpleName())) {
      problems.add("it was written by optimizer " + optimizer.kind() + ", this run uses "
          + opt.getClass().getSimpleName());
    } else if (!optimizer.settings().equals(opt.toString()) && describes(opt)) {
      problems.add("it was written by " + optimizer.settings() + ", this run uses " + opt);
    }
    for (float[] array : optimizer.arrays()) {
      if (array.length != target.parameterCount()) {
        problems.add("its optimizer state has " + array.length + " values per array, the"
            + " network has " + target.parameterCount() + " parameters");
        break;
      }
    }
    if (!problems.isEmpty()) {
      throw new IOException(source + " does not fit this run: " + String.join("; ", problems)
          + ". Resume with the network and optimizer settings that wrote it, or delete it to"
          + " start over");
    }
    try {
      opt.restore(optimizer.arrays(), optimizer.steps());
      if (targetAverage != null) {
        if (average == null) {
          targetAverage.reset();
        } else {
          targetAverage.restore(average.mean(), average.weight());
        }
      }
    } catch (IllegalArgumentException e) {
      throw new IOException(source + " does not fit this run: " + e.getMessage(), e);
    }
    target.setRandomState(modelRandom.clone());
    ModelFile.copy(lastEpoch.isEmpty() ? model : lastEpoch, target);
  }

  /** True unless the optimizer's toString is Object's, which names an instance, not settings. */
  private static boolean describes(Optimizer opt) {
    return !opt.toString().startsWith(opt.getClass().getName() + "@");
  }

  private static String text(Map<String, String> meta, String key, String source)
      throws IOException {
    String value = meta.get(key);
    if (value == null) {
      throw new IOException(source + " is not a complete checkpoint: it has no '" + key + "'");
    }
    return value;
  }

  private static long number(Map<String, String> meta, String key, String source)
      throws IOException {
    String value = text(meta, key, source);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IOException(source + " has a malformed '" + key + "': " + value, e);
    }
  }

  private static String hex(long[] values) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      s.append(i == 0 ? "" : ",").append(Long.toHexString(values[i]));
    }
    return s.toString();
  }

  private static long[] unhex(String text, String source) throws IOException {
    if (text.isEmpty()) {
      return new long[0];
    }
    String[] parts = text.split(",");
    long[] values = new long[parts.length];
    try {
      for (int i = 0; i < parts.length; i++) {
        values[i] = Long.parseUnsignedLong(parts[i], 16);
      }
    } catch (NumberFormatException e) {
      throw new IOException(source + " has a malformed 'model_random': " + text, e);
    }
    return values;
  }

  /** The history as metadata text: one line per epoch, every number in full precision. */
  private static final class History {
    private History() {}

    static String encode(List<EpochRecord> records) {
      StringBuilder s = new StringBuilder();
      for (EpochRecord r : records) {
        Metrics v = r.validation();
        s.append(r.epoch()).append(',').append(r.trainLoss()).append(',')
            .append(r.gradientNorm()).append(',').append(r.stepSize()).append(',')
            .append(v.loss()).append(',').append(v.accuracy()).append(',').append(v.mse())
            .append(',').append(v.mae()).append(',').append(r.seconds()).append('\n');
      }
      return s.toString();
    }

    static List<EpochRecord> decode(String text, String source) throws IOException {
      List<EpochRecord> records = new ArrayList<>();
      for (String line : text.split("\n")) {
        if (line.isEmpty()) {
          continue;
        }
        String[] f = line.split(",");
        try {
          if (f.length != 9) {
            throw new NumberFormatException(f.length + " fields instead of 9");
          }
          records.add(new EpochRecord(Integer.parseInt(f[0]), Double.parseDouble(f[1]),
              Double.parseDouble(f[2]), Float.parseFloat(f[3]),
              new Metrics(Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                  Double.parseDouble(f[6]), Double.parseDouble(f[7])),
              Double.parseDouble(f[8])));
        } catch (NumberFormatException e) {
          throw new IOException(source + " has a malformed history line '" + line + "': "
              + e.getMessage(), e);
        }
      }
      return records;
    }
  }
}
