package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Huber loss with threshold {@code delta} (PyTorch's {@code nn.HuberLoss}): quadratic for
 * residuals up to {@code delta}, linear beyond.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Huber {
  /**
   * The threshold between the quadratic and the linear part; must be positive, e.g.
   * {@code @Huber(0.5)}. The model computes with it as a float.
   */
  double value() default 1.0;
}
