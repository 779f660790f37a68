package dev.annonet.cli;

import dev.annonet.optim.AdaGrad;
import dev.annonet.optim.Adam;
import dev.annonet.optim.AdamW;
import dev.annonet.optim.AmsGrad;
import dev.annonet.optim.GradientDescent;
import dev.annonet.optim.LineSearch;
import dev.annonet.optim.Momentum;
import dev.annonet.optim.Nesterov;
import dev.annonet.optim.Optimizer;
import dev.annonet.optim.RmsProp;
import dev.annonet.optim.Sgd;
import java.util.Locale;

/** The optimizers {@code --optimizer} names, each with its defaults (PyTorch's). */
enum OptimizerChoice {
  ADAM,
  ADAMW,
  AMSGRAD,
  SGD,
  MOMENTUM,
  NESTEROV,
  ADAGRAD,
  RMSPROP,
  GD,
  LINESEARCH;

  /** The optimizer with its defaults, and step size {@code lr} unless it is null. */
  Optimizer create(Float lr) {
    switch (this) {
      case ADAM:
        return lr == null ? Adam.defaults() : Adam.defaults().lr(lr);
      case ADAMW:
        return lr == null ? AdamW.defaults() : AdamW.defaults().lr(lr);
      case AMSGRAD:
        return lr == null ? AmsGrad.defaults() : AmsGrad.defaults().lr(lr);
      case SGD:
        return lr == null ? Sgd.defaults() : Sgd.defaults().lr(lr);
      case MOMENTUM:
        return lr == null ? Momentum.defaults() : Momentum.defaults().lr(lr);
      case NESTEROV:
        return lr == null ? Nesterov.defaults() : Nesterov.defaults().lr(lr);
      case ADAGRAD:
        return lr == null ? AdaGrad.defaults() : AdaGrad.defaults().lr(lr);
      case RMSPROP:
        return lr == null ? RmsProp.defaults() : RmsProp.defaults().lr(lr);
      case GD:
        return lr == null ? GradientDescent.defaults() : GradientDescent.defaults().lr(lr);
      case LINESEARCH:
        return lr == null ? LineSearch.defaults() : LineSearch.defaults().lr(lr);
      default:
        throw new AssertionError(this);
    }
  }

  /** The name on the command line. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
