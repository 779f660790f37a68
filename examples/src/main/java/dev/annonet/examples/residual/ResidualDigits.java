package dev.annonet.examples.residual;

import dev.annonet.nn.Add;
import dev.annonet.nn.Dense;
import dev.annonet.nn.Input;
import dev.annonet.nn.Layer;
import dev.annonet.nn.Network;
import dev.annonet.nn.Relu;
import dev.annonet.nn.SoftmaxCrossEntropy;

/** A residual MLP for the 8x8 digits: two blocks whose input is added back to their output. */
@Network
@SoftmaxCrossEntropy
abstract class ResidualDigits {
  @Input(64)                  Layer pixels;
  @Dense(96) @Relu            Layer stem;
  @Dense(96) @Relu            Layer a1;
  @Dense(96)                  Layer a2;
  @Add(from = "stem") @Relu   Layer block1;   // block1 = relu(a2 + stem)
  @Dense(96) @Relu            Layer b1;
  @Dense(96)                  Layer b2;
  @Add(from = "block1") @Relu Layer block2;   // block2 = relu(b2 + block1)
  @Dense(10)                  Layer logits;
}
