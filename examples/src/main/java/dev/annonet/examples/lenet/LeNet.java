package dev.annonet.examples.lenet;

import dev.annonet.nn.Conv2d;
import dev.annonet.nn.Dense;
import dev.annonet.nn.Flatten;
import dev.annonet.nn.Input;
import dev.annonet.nn.Layer;
import dev.annonet.nn.MaxPool;
import dev.annonet.nn.Network;
import dev.annonet.nn.Relu;
import dev.annonet.nn.SoftmaxCrossEntropy;

/** LeNet-5 for 28x28 digits, as in Annonet's design: two convolutions, three dense layers. */
@Network
@SoftmaxCrossEntropy
abstract class LeNet {
  @Input({1, 28, 28})                          Layer image;   // channels, height, width
  @Conv2d(filters = 6, kernel = 5) @Relu       Layer c1;      // -> 6x24x24
  @MaxPool(2)                                  Layer p1;      // -> 6x12x12
  @Conv2d(filters = 16, kernel = 5) @Relu      Layer c2;      // -> 16x8x8
  @MaxPool(2)                                  Layer p2;      // -> 16x4x4
  @Flatten                                     Layer flat;    // -> 256
  @Dense(120) @Relu                            Layer f1;
  @Dense(84) @Relu                             Layer f2;
  @Dense(10)                                   Layer out;
}
