package dev.annonet.bench;

import dev.annonet.nn.*;

/**
 * W7 lstm-lm: a character-level LSTM language model, softmax cross-entropy at every position
 * (torch_seq.py's {@code LstmLm}).
 */
@Network
@SoftmaxCrossEntropy
abstract class LstmLm {
  @TokenInput(length = 32, vocabulary = 65) Layer ids;
  @Embedding(64)                            Layer embed;
  @Lstm(hidden = 256)                       Layer lstm;
  @Dense(65)                                Layer head;
}
