package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Layer normalisation over each sample's values (PyTorch's {@code nn.LayerNorm} over the
 * whole sample shape), with learned {@code weight} and {@code bias} per value.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface LayerNorm {
  /** Added to the variance before the square root; must be positive. */
  double eps() default 1e-5;
}
