package dev.annonet.bench;

import dev.annonet.nn.*;

/** W4 wide: 1024-2048-2048-10 ReLU, softmax cross-entropy. */
@Network
@SoftmaxCrossEntropy
abstract class WideMlp {
  @Input(1024)         Layer features;
  @Dense(2048) @Relu   Layer h1;
  @Dense(2048) @Relu   Layer h2;
  @Dense(10)           Layer logits;
}
