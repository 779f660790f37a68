package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The last position's values of a sequence {@code [T][d]}, a vector {@code [d]} ({@code x[:, -1,
 * :]} in PyTorch): a sequence-to-vector head.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface LastStep {}
