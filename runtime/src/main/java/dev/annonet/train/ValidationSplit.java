package dev.annonet.train;

import dev.annonet.Model;
import dev.annonet.Task;
import dev.annonet.data.Dataset;

/**
 * Holds out part of the training rows as a validation set, for {@link Trainer#validationSplit};
 * public so that a trainer in another module ({@code SparkTrainer}) holds out the same rows.
 */
public final class ValidationSplit {

  private ValidationSplit() {}

  /**
   * Splits {@code data} into rows to train on and {@code round(fraction * n)} held-out rows,
   * chosen from {@code seed}; stratified by class when {@code model} classifies into one label
   * per row. Fails when either part would be empty.
   */
  static Dataset.Split of(Model model, Dataset data, double fraction, long seed) {
    check(data.size(), fraction);
    return stratified(model) ? data.stratifiedSplit(fraction, seed) : data.split(fraction, seed);
  }

  /**
   * The rows, of {@code rows} numbered from 0, that {@link Trainer#validationSplit} holds out:
   * those of {@link Dataset#testRows}, stratified by {@code labels} (each row's class index)
   * when {@link #stratified} says so; {@code labels} is not read otherwise and may be null.
   * Fails, as fit() does, when either part would be empty.
   */
  public static int[] heldOut(Model model, int rows, int[] labels, double fraction, long seed) {
    check(rows, fraction);
    return Dataset.testRows(rows, stratified(model) ? labels : null, fraction, seed);
  }

  /** Whether the split keeps each class's share: for models that give one class per row. */
  public static boolean stratified(Model model) {
    return model.task() == Task.MULTICLASS && model.steps() == 1
        || (model.task() == Task.BINARY && model.targetSize() == 1);
  }

  /**
   * Checks a fraction given to {@code validationSplit} when it is given: in (0, 1), e.g. 0.2,
   * and no separate {@code validation} data set already given (the rows are checked in fit()).
   */
  public static void checkSetting(double fraction, Dataset validation) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("validationSplit: fraction = " + fraction
          + " is outside (0, 1): give the share of the rows to hold out, e.g. 0.2");
    }
    if (validation != null) {
      throw new IllegalArgumentException("validationSplit(" + fraction + ") cannot be combined "
          + "with validation(Dataset), which already gives a validation set: use one of them");
    }
  }

  private static void check(int n, double fraction) {
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
  }

  private static String rows(int n) {
    return n + (n == 1 ? " row" : " rows");
  }

  /** The smallest fraction that rounds to one row of {@code n}, rounded up to 3 decimals. */
  private static double minimum(int n) {
    return Math.ceil(1000 * 0.5 / n) / 1000;
  }
}
