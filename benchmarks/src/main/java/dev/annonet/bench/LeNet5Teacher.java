package dev.annonet.bench;

import dev.annonet.nn.*;

/**
 * The teacher that labels W5's data: the same layers with a squared-error loss, so that
 * {@code predict} gives the raw outputs (the logits).
 */
@Network
@SquaredError
abstract class LeNet5Teacher {
  @Input({1, 28, 28})                       Layer image;   // channels, height, width
  @Conv2d(filters = 6, kernel = 5) @Relu    Layer c1;      // -> 6x24x24
  @MaxPool(2)                               Layer p1;      // -> 6x12x12
  @Conv2d(filters = 16, kernel = 5) @Relu   Layer c2;      // -> 16x8x8
  @MaxPool(2)                               Layer p2;      // -> 16x4x4
  @Flatten                                  Layer flat;    // -> 256
  @Dense(120) @Relu                         Layer f1;
  @Dense(84) @Relu                          Layer f2;
  @Dense(10)                                Layer logits;
}
