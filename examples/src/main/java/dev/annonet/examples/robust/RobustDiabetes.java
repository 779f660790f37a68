package dev.annonet.examples.robust;

import dev.annonet.nn.Dense;
import dev.annonet.nn.Input;
import dev.annonet.nn.Layer;
import dev.annonet.nn.Network;
import dev.annonet.nn.Phi;
import dev.annonet.nn.ResidualLoss;
import dev.annonet.nn.Tanh;

/**
 * The diabetes MLP with Huber's loss written as {@code @Phi} alone: Annonet derives its
 * derivative, {@code RobustDiabetesModel.dphi}, from the source below.
 */
@Network
@ResidualLoss
abstract class RobustDiabetes {
  @Input(10) Layer measurements;
  @Dense(16) @Tanh Layer hidden;
  @Dense(1) Layer progression;

  @Phi
  static float phi(float r) {
    return Math.abs(r) <= 1 ? 0.5f * r * r : Math.abs(r) - 0.5f;
  }
}
