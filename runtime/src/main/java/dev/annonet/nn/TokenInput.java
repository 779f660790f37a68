package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The network's input as a sequence of {@code length} token ids, each a whole number in {@code
 * [0, vocabulary)}: a sample is {@code length} floats, one id per position (a {@code Dataset} row
 * of ids, e.g. from {@code Dataset.tokens}). Must be the first layer, followed by an {@link
 * Embedding}; the model rejects an id out of range before it computes anything.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface TokenInput {
  /** Positions per sample, T. */
  int length();

  /** Number of distinct token ids, V: ids run from 0 to V - 1. */
  int vocabulary();
}
