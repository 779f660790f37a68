package dev.annonet.bench;

import dev.annonet.nn.*;

/**
 * The teacher that labels W3's data: the same layers with a squared-error loss, so that
 * {@code predict} gives the raw outputs (the logits).
 */
@Network
@SquaredError
abstract class MnistMlpTeacher {
  @Input(784)         Layer pixels;
  @Dense(256) @Relu   Layer h1;
  @Dense(256) @Relu   Layer h2;
  @Dense(10)          Layer logits;
}
