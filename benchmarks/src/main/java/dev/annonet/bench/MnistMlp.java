package dev.annonet.bench;

import dev.annonet.nn.*;

/** W3 mnist-mlp: 784-256-256-10 ReLU, softmax cross-entropy. */
@Network
@SoftmaxCrossEntropy
abstract class MnistMlp {
  @Input(784)         Layer pixels;
  @Dense(256) @Relu   Layer h1;
  @Dense(256) @Relu   Layer h2;
  @Dense(10)          Layer logits;
}
