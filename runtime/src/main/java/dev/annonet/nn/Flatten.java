package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Reshapes an image {@code [c][h][w]} into a vector of {@code c*h*w} values (channels-first
 * order, as PyTorch's {@code nn.Flatten}); it has no parameters and costs no work.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Flatten {}
