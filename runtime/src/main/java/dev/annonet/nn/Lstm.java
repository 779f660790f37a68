package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A long short-term memory layer over a sequence, PyTorch's {@code nn.LSTM(features, hidden,
 * batch_first=True)}: one layer, one direction, zero initial state. It reads a sequence
 * {@code [T][features]} (from {@link SequenceInput}, or {@link TokenInput} then {@link
 * Embedding}) and outputs every step's hidden state {@code [T][hidden]}, or with {@code lastStep
 * = true} only the last one, {@code [hidden]} (PyTorch's {@code h_n}).
 *
 * <p>Per step, gates in PyTorch's order i, f, g, o: {@code i = sigmoid(W_ii x + b_ii + W_hi h +
 * b_hi)}, f and o alike, {@code g = tanh(W_ig x + b_ig + W_hg h + b_hg)}, {@code c' = f * c + i *
 * g}, {@code h' = o * tanh(c')}. The parameters are PyTorch's four tensors, named as in its
 * {@code state_dict} and in model files: {@code weight_ih_l0 [4 hidden][features]}, {@code
 * weight_hh_l0 [4 hidden][hidden]}, {@code bias_ih_l0 [4 hidden]}, {@code bias_hh_l0 [4
 * hidden]}, each initialised U(-1/sqrt(hidden), 1/sqrt(hidden)) as PyTorch does. The output
 * already went through tanh and a gate, so the layer takes no activation annotation.
 *
 * <p>A character-level language model, predicting each next character:
 *
 * <pre>{@code
 * @Network
 * @SoftmaxCrossEntropy
 * abstract class CharLstm {
 *   @TokenInput(length = 32, vocabulary = 65) Layer ids;
 *   @Embedding(64)                            Layer emb;    // seq 32x64
 *   @Lstm(hidden = 256)                       Layer rnn;    // seq 32x256
 *   @Dense(65)                                Layer logits; // seq 32x65, a class per position
 * }
 * }</pre>
 *
 * <p>A classifier of whole sequences ends in {@code @Lstm(hidden = 128, lastStep = true)} then
 * {@code @Dense(classes)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Lstm {
  /** Units of the hidden and cell states, PyTorch's {@code hidden_size}. */
  int hidden();

  /**
   * Output only the last step's hidden state {@code [hidden]} instead of every step's {@code
   * [T][hidden]}: {@code output[:, -1, :]} in PyTorch, as {@link LastStep} after the layer gives.
   */
  boolean lastStep() default false;
}
