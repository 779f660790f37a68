package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binary cross-entropy with the sigmoid fused in (PyTorch's {@code nn.BCEWithLogitsLoss}):
 * the network's single output is a logit, targets are 0 or 1, {@code predict} returns the
 * probability.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface BinaryCrossEntropy {}
