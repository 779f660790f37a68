package dev.annonet.examples.neuron;

import dev.annonet.nn.Dense;
import dev.annonet.nn.HalfSquaredError;
import dev.annonet.nn.Input;
import dev.annonet.nn.Layer;
import dev.annonet.nn.Network;
import dev.annonet.nn.Sigmoid;

/** The lecture's sigmoid neuron: o = sigmoid(w0 + sum w_i x_i), L = 1/2 (o - y)^2. */
@Network
@HalfSquaredError
abstract class SigmoidNeuron {
  @Input(3) Layer x;
  @Dense(1) @Sigmoid Layer o;
}
