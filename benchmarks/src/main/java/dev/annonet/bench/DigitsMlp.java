package dev.annonet.bench;

import dev.annonet.nn.*;

/** W2 digits: 64-128-10 ReLU, softmax cross-entropy. */
@Network
@SoftmaxCrossEntropy
abstract class DigitsMlp {
  @Input(64)          Layer pixels;
  @Dense(128) @Relu   Layer hidden;
  @Dense(10)          Layer logits;
}
