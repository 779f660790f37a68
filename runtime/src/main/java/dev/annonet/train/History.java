package dev.annonet.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** The per-epoch records of one training run, in order, writable as CSV for plotting. */
public final class History implements Iterable<EpochRecord> {

  /** The CSV header written by {@link #toCsv()}. */
  public static final String CSV_HEADER = "epoch,train_loss,gradient_norm,step_size,"
      + "validation_loss,validation_accuracy,validation_mse,validation_mae,seconds";

  private final List<EpochRecord> epochs = new ArrayList<>();

  /** An empty history; public so that trainers in other modules report in this same form. */
  public History() {}

  /** Appends the record of the next epoch. */
  public void add(EpochRecord record) {
    epochs.add(record);
  }

  /** The records, first epoch first (unmodifiable). */
  public List<EpochRecord> epochs() {
    return Collections.unmodifiableList(epochs);
  }

  /** Number of epochs recorded. */
  public int size() {
    return epochs.size();
  }

  /** The record of the epoch at {@code index} (0-based). */
  public EpochRecord get(int index) {
    return epochs.get(index);
  }

  /** The last epoch's record. */
  public EpochRecord last() {
    if (epochs.isEmpty()) {
      throw new IllegalStateException("no epoch has been recorded");
    }
    return epochs.get(epochs.size() - 1);
  }

  @Override
  public Iterator<EpochRecord> iterator() {
    return epochs().iterator();
  }

  /**
   * The history as CSV: {@link #CSV_HEADER} then one line per epoch; metrics that do not apply
   * are empty fields. Numbers are written in full precision ({@link Double#toString}).
   */
  public String toCsv() {
    StringBuilder s = new StringBuilder(CSV_HEADER).append('\n');
    for (EpochRecord r : epochs) {
      Metrics v = r.validation();
      s.append(r.epoch()).append(',').append(field(r.trainLoss())).append(',')
          .append(field(r.gradientNorm())).append(',').append(field(r.stepSize())).append(',')
          .append(field(v.loss())).append(',').append(field(v.accuracy())).append(',')
          .append(field(v.mse())).append(',').append(field(v.mae())).append(',')
          .append(field(r.seconds())).append('\n');
    }
    return s.toString();
  }

  /** Writes {@link #toCsv()} to {@code path} (UTF-8), replacing the file. */
  public void writeCsv(Path path) throws IOException {
    Files.writeString(path, toCsv(), StandardCharsets.UTF_8);
  }

  private static String field(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }
}
