package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The lecture's general regression loss, {@code mean(phi(y - f(x)))} with {@code phi} written by
 * the user as a static method marked {@link Phi}, {@code static float name(float residual)}, and
 * its derivative either written too, marked {@link PhiDerivative}, or derived by Annonet from
 * phi's source (the README's "Deriving phi" lists the Java it differentiates). The generated
 * model has {@code public static float phi(float r)} and {@code dphi(float r)} either way, which
 * {@link dev.annonet.PhiCheck} compares.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ResidualLoss {}
