package com.example;

import dev.annonet.nn.Dense;
import dev.annonet.nn.Input;
import dev.annonet.nn.Layer;
import dev.annonet.nn.Network;
import dev.annonet.nn.Relu;
import dev.annonet.nn.SoftmaxCrossEntropy;

/** 64 pixels, 128 hidden ReLU units, 10 class logits; the processor generates DigitsModel. */
@Network
@SoftmaxCrossEntropy
abstract class Digits {
  @Input(64) Layer pixels;
  @Dense(128) @Relu Layer hidden;
  @Dense(10) Layer logits;
}
