package dev.annonet.spark;

import dev.annonet.Model;
import java.io.Serializable;

/**
 * Builds a model from a seed, as every generated model's constructor does
 * ({@code DigitsModel::new}); serializable, so that executors can build their own copies.
 */
@FunctionalInterface
public interface ModelFactory<M extends Model> extends Serializable {

  /** A new model initialised from {@code seed}. */
  M create(long seed);
}
