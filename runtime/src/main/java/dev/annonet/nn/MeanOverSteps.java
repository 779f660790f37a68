package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The mean over the positions of a sequence {@code [T][d]}, a vector {@code [d]} ({@code
 * x.mean(dim=1)} in PyTorch): a sequence-to-vector head.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface MeanOverSteps {}
