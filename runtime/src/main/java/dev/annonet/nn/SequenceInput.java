package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The network's input as a sequence of {@code length} positions of {@code features} real values
 * each, {@code [T][F]} stored row-major per sample (position after position). Must be the first
 * layer.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface SequenceInput {
  /** Positions per sample, T. */
  int length();

  /** Values per position, F. */
  int features();
}
