package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 2-D convolution over a channels-first image {@code [c][h][w]}, laid out as PyTorch's
 * {@code nn.Conv2d}: weight {@code [filters][c][kernel][kernel]} then bias {@code [filters]}.
 * Output {@code [filters][(h + 2 padding - kernel) / stride + 1][...]}; the division must be
 * exact.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Conv2d {
  /** Padding that keeps the height and width (stride 1, odd kernel): {@code padding = SAME}. */
  int SAME = -1;

  /** Number of output channels. */
  int filters();

  /** Height and width of the square kernel. */
  int kernel();

  /** Step between kernel positions, both ways. */
  int stride() default 1;

  /** Zeros added on each side, or {@link #SAME}. */
  int padding() default 0;
}
