package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The lecture's general regression loss, {@code mean(phi(y - f(x)))} with {@code phi} and its
 * derivative written by the user as static methods marked {@link Phi} and {@link PhiDerivative},
 * each {@code static float name(float residual)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ResidualLoss {}
