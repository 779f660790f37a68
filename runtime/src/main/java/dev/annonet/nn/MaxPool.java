package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Max pooling over square windows of {@code value} pixels per channel (PyTorch's
 * {@code nn.MaxPool2d}); the window must tile the image exactly.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface MaxPool {
  /** Height and width of the window. */
  int value();

  /** Step between windows; 0 (the default) means the window size. */
  int stride() default 0;
}
