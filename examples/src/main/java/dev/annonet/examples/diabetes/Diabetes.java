package dev.annonet.examples.diabetes;

import dev.annonet.nn.Dense;
import dev.annonet.nn.Input;
import dev.annonet.nn.Layer;
import dev.annonet.nn.Network;
import dev.annonet.nn.SquaredError;
import dev.annonet.nn.Tanh;

/** Regression of diabetes progression from 10 standardised measurements, squared loss. */
@Network
@SquaredError
abstract class Diabetes {
  @Input(10) Layer measurements;
  @Dense(16) @Tanh Layer hidden;
  @Dense(1) Layer progression;
}
