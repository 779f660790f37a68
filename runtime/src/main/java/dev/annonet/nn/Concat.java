package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Concatenation of the previous layer's output with the outputs of the layers named in
 * {@code from} (earlier fields): along the features for vectors, along the channels for images
 * (heights and widths must agree).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Concat {
  /** Names of earlier layer fields to append, in order. */
  String[] from();
}
