package dev.annonet.bench;

import dev.annonet.nn.*;

/**
 * The teacher that labels W4's data: the same layers with a squared-error loss, so that
 * {@code predict} gives the raw outputs (the logits).
 */
@Network
@SquaredError
abstract class WideMlpTeacher {
  @Input(1024)         Layer features;
  @Dense(2048) @Relu   Layer h1;
  @Dense(2048) @Relu   Layer h2;
  @Dense(10)           Layer logits;
}
