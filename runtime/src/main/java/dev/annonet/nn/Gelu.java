package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gaussian error linear unit on the layer's output, {@code x Phi(x)}, as PyTorch's {@code
 * nn.GELU}: {@code @Gelu} is the exact form {@code x/2 (1 + erf(x / sqrt 2))}, {@code
 * @Gelu(approximate = "tanh")} the approximation {@code x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715
 * x^3)))} of GPT-2 and BERT.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Gelu {
  /** {@code "none"} for the exact form, or {@code "tanh"}, as PyTorch's {@code approximate}. */
  String approximate() default "none";
}
