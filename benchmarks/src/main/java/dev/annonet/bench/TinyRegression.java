package dev.annonet.bench;

import dev.annonet.nn.*;

/** W1 tiny-regression: 13-64-64-1 ReLU, mean squared error (also its own teacher). */
@Network
@SquaredError
abstract class TinyRegression {
  @Input(13)         Layer features;
  @Dense(64) @Relu   Layer h1;
  @Dense(64) @Relu   Layer h2;
  @Dense(1)          Layer out;
}
