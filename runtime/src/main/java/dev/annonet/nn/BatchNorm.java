package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Batch normalisation (PyTorch's {@code nn.BatchNorm1d} on vectors, {@code nn.BatchNorm2d}
 * per channel on images): batch statistics in training mode, running statistics in inference
 * mode; learned scale {@code weight} and shift {@code bias} per channel.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface BatchNorm {
  /** Weight of the newest batch in the running statistics, in (0, 1]. */
  double momentum() default 0.1;

  /** Added to the variance before the square root; must be positive. */
  double eps() default 1e-5;
}
