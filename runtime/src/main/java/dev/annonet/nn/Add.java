package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A residual connection: the previous layer's output plus the outputs of the layers named in
 * {@code from}, which must come earlier and have the same shape.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Add {
  /** Names of earlier layer fields to add to the previous layer's output. */
  String[] from();
}
