package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A token embedding, PyTorch's {@code nn.Embedding(vocabulary, dim)}: each token id of a
 * {@link TokenInput} selects a row of the learned {@code weight [vocabulary][dim]}, so the output
 * is a sequence of {@code length} positions of {@code dim} values. Initialised N(0, 1) as in
 * PyTorch.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Embedding {
  /** Values per position of the output, the embedding's width. */
  int value();
}
