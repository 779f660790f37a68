package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Inverted dropout (PyTorch's {@code nn.Dropout}): in training mode each value is zeroed with
 * probability {@code p} and the others scaled by {@code 1 / (1 - p)}, from the model's seed;
 * in inference mode it passes values through.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Dropout {
  /**
   * Probability of zeroing a value, in [0, 1), e.g. {@code @Dropout(0.25)}; the model computes
   * with it as a float.
   */
  double value();
}
