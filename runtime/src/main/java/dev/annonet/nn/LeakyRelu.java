package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Leaky rectified linear unit, {@code x > 0 ? x : alpha * x}, as PyTorch's {@code nn.LeakyReLU}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface LeakyRelu {
  /**
   * Slope for negative inputs, in (0, 1), e.g. {@code @LeakyRelu(0.1)}; the model computes with
   * it as a float.
   */
  double value() default 0.01;
}
