package com.example;

import dev.annonet.nn.Dense;
import dev.annonet.nn.Input;
import dev.annonet.nn.Layer;
import dev.annonet.nn.Network;
import dev.annonet.nn.Relu;
import dev.annonet.nn.SoftmaxCrossEntropy;

@Network
@SoftmaxCrossEntropy
abstract class Blobs {
  @Input(2)          Layer point;
  @Dense(16) @Relu   Layer hidden;
  @Dense(3)          Layer logits;
}
