package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Half the mean squared error, {@code mean(1/2 (y - f(x))^2)}: the sigmoid-neuron loss
 * {@code L = 1/2 (o - y)^2}, whose gradient is {@code (o - y)} times the chain rule.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface HalfSquaredError {}
