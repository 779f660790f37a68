package dev.annonet.train;

import dev.annonet.Model;
import dev.annonet.Task;
import dev.annonet.data.Dataset;

/** Holds out part of the training rows as a validation set, for {@link Trainer#validationSplit}. */
final class ValidationSplit {

  private ValidationSplit() {}

  /**
   * Splits {@code data} into rows to train on and {@code round(fraction * n)} held-out rows,
   * chosen from {@code seed}; stratified by class when {@code model} classifies into one label
   * per row. Fails when either part would be empty.
   */
  static Dataset.Split of(Model model, Dataset data, double fraction, long seed) {
    int n = data.size();
    long held = Math.round(fraction * n);
    if (held == 0) {
      throw new IllegalArgumentException("validationSplit(" + fraction + ") of " + rows(n)
          + " holds out no row: use a fraction of at least " + minimum(n)
          + " or pass validation(Dataset)");
    }
    if (held >= n) {
      throw new IllegalArgumentException("validationSplit(" + fraction + ") of " + rows(n)
          + " leaves no row to train on: use a smaller fraction or more data");
    }
    boolean classes = model.task() == Task.MULTICLASS
        || (model.task() == Task.BINARY && model.targetSize() == 1);
    return classes ? data.stratifiedSplit(fraction, seed) : data.split(fraction, seed);
  }

  private static String rows(int n) {
    return n + (n == 1 ? " row" : " rows");
  }

  /** The smallest fraction that rounds to one row of {@code n}, rounded up to 3 decimals. */
  private static double minimum(int n) {
    return Math.ceil(1000 * 0.5 / n) / 1000;
  }
}
