package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A learned position table added to a sequence, as GPT's {@code wpe}: {@code out[t] = in[t] +
 * weight[t]} with {@code weight [length][features]}, PyTorch's {@code nn.Embedding(length,
 * features)} indexed by the position. Initialised N(0, 1), as {@code nn.Embedding} is and as
 * {@link Embedding} is.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface PositionalEmbedding {}
