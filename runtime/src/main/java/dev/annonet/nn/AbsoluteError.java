package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Mean absolute error, {@code mean(|y - f(x)|)} (PyTorch's {@code nn.L1Loss}); the
 * derivative at zero is taken as zero.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface AbsoluteError {}
