package dev.annonet.bench;

import dev.annonet.nn.*;

/**
 * The teacher that labels W2's data: the same layers with a squared-error loss, so that
 * {@code predict} gives the raw outputs (the logits).
 */
@Network
@SquaredError
abstract class DigitsMlpTeacher {
  @Input(64)          Layer pixels;
  @Dense(128) @Relu   Layer hidden;
  @Dense(10)          Layer logits;
}
