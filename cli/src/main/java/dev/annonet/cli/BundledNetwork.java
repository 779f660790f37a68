package dev.annonet.cli;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.examples.data.ExampleData;
import dev.annonet.examples.diabetes.DiabetesModel;
import dev.annonet.examples.digits.DigitsModel;
import dev.annonet.examples.lenet.LeNetExample;
import dev.annonet.examples.lenet.LeNetModel;
import dev.annonet.examples.neuron.SigmoidNeuronModel;
import dev.annonet.examples.residual.ResidualDigitsModel;
import java.io.IOException;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The networks of the examples module that the command can train, each with the data it trains
 * on when no {@code --data} is given.
 */
enum BundledNetwork {
  /** 64 -> 128 ReLU -> 10, softmax cross-entropy; the bundled 8x8 digits. */
  DIGITS(DigitsModel::new) {
    @Override
    Dataset bundledData() {
      return ExampleData.digits();
    }
  },
  /** A residual MLP, 64 -> 96 -> two blocks -> 10; the bundled 8x8 digits. */
  RESIDUAL(ResidualDigitsModel::new) {
    @Override
    Dataset bundledData() {
      return ExampleData.digits();
    }
  },
  /** 10 -> 16 tanh -> 1, squared error; the bundled diabetes data (raw, unscaled). */
  DIABETES(DiabetesModel::new) {
    @Override
    Dataset bundledData() {
      return ExampleData.diabetes();
    }
  },
  /** LeNet-5 on 1x28x28 images; MNIST's training split from ../shared/data/mnist. */
  LENET(LeNetModel::new) {
    @Override
    Dataset bundledData() throws IOException {
      return DataFiles.idx(LeNetExample.mnistFolder(null));
    }
  },
  /** The sigmoid neuron, 3 inputs, half squared error; no bundled data. */
  NEURON(SigmoidNeuronModel::new) {
    @Override
    Dataset bundledData() {
      throw new IllegalArgumentException("the neuron network has no bundled data: pass --data "
          + "with a CSV file of 3 feature columns and a target in [0, 1]");
    }
  };

  private final LongFunction<Model> factory;

  BundledNetwork(LongFunction<Model> factory) {
    this.factory = factory;
  }

  /** A fresh model, initialised from {@code seed}. */
  Model create(long seed) {
    return factory.apply(seed);
  }

  /** The name its model records in files, the network class's simple name, e.g. {@code Digits}. */
  String modelName() {
    return create(0).name();
  }

  /**
   * The bundled network whose model records {@code name} in files (as {@link #modelName()}
   * gives it), or whose command-line name is {@code name}; empty for none.
   */
  static Optional<BundledNetwork> forModelName(String name) {
    for (BundledNetwork network : values()) {
      if (network.modelName().equals(name) || network.toString().equals(name)) {
        return Optional.of(network);
      }
    }
    return Optional.empty();
  }

  /** The data the network trains on when no {@code --data} is given. */
  abstract Dataset bundledData() throws IOException;

  /** The name on the command line. */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
