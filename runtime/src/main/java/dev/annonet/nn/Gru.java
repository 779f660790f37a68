package dev.annonet.nn;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A gated recurrent unit layer over a sequence, PyTorch's {@code nn.GRU(features, hidden,
 * batch_first=True)}: one layer, one direction, zero initial state. It reads a sequence
 * {@code [T][features]} and outputs every step's hidden state {@code [T][hidden]}, or with
 * {@code lastStep = true} only the last one, {@code [hidden]}.
 *
 * <p>Per step, gates in PyTorch's order r, z, n: {@code r = sigmoid(W_ir x + b_ir + W_hr h +
 * b_hr)}, z alike, {@code n = tanh(W_in x + b_in + r * (W_hn h + b_hn))}, {@code h' = (1 - z) * n
 * + z * h}. The parameters are PyTorch's four tensors {@code weight_ih_l0 [3 hidden][features]},
 * {@code weight_hh_l0 [3 hidden][hidden]}, {@code bias_ih_l0 [3 hidden]}, {@code bias_hh_l0 [3
 * hidden]}, each initialised U(-1/sqrt(hidden), 1/sqrt(hidden)); the layer takes no activation
 * annotation.
 *
 * <p>A sequence classifier reading the last hidden state:
 *
 * <pre>{@code
 * @Network
 * @SoftmaxCrossEntropy
 * abstract class Sentiment {
 *   @TokenInput(length = 100, vocabulary = 5000) Layer ids;
 *   @Embedding(64)                               Layer emb;    // seq 100x64
 *   @Gru(hidden = 128, lastStep = true)          Layer rnn;    // 128
 *   @Dense(2)                                    Layer logits;
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Gru {
  /** Units of the hidden state, PyTorch's {@code hidden_size}. */
  int hidden();

  /**
   * Output only the last step's hidden state {@code [hidden]} instead of every step's {@code
   * [T][hidden]}: {@code output[:, -1, :]} in PyTorch.
   */
  boolean lastStep() default false;
}
