package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The network's input: a vector of {@code value()[0]} features, or an image
 * {@code {channels, height, width}} (channels first). Must be the first layer.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Input {
  /** The input shape: one size for a vector, three for an image. */
  int[] value();
}
