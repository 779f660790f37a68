package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an abstract class whose {@link Layer} fields, in declaration order, form a network.
 * The annotation processor checks it and generates {@code <Name>Model} in the same package.
 * Exactly one loss annotation ({@link SquaredError}, {@link SoftmaxCrossEntropy}, ...) sits
 * next to it.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Network {}
