package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Softmax cross-entropy with the softmax fused in (PyTorch's {@code nn.CrossEntropyLoss}):
 * the outputs are logits, targets are class indices, {@code predict} returns probabilities.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface SoftmaxCrossEntropy {}
