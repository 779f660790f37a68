package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks {@code static float dphi(float r)}, the derivative of the {@link Phi} method. Optional:
 * without it Annonet derives the derivative from phi's source, and asks for this method only
 * where phi uses Java it does not differentiate.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface PhiDerivative {}
