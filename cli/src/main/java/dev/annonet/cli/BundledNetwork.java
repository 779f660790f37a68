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
import java.util.function.LongFunction;

/**
 * The networks of the examples module that the command can train, each with the data it trains
 * on when no {@code --data} is given.
 */
enum BundledNetwork {
  DIGITS("64 -> 128 ReLU -> 10, softmax cross-entropy; bundled 8x8 digits", DigitsModel::new) {
    @Override
    Dataset bundledData() {
      return ExampleData.digits();
    }
  },
  RESIDUAL("residual MLP 64 -> 96 -> 2 blocks -> 10; bundled 8x8 digits",
      ResidualDigitsModel::new) {
    @Override
    Dataset bundledData() {
      return ExampleData.digits();
    }
  },
  DIABETES("10 -> 16 tanh -> 1, squared error; bundled diabetes data", DiabetesModel::new) {
    @Override
    Dataset bundledData() {
      return ExampleData.diabetes();
    }
  },
  LENET("LeNet-5 on 1x28x28 images; MNIST from ../shared/data/mnist", LeNetModel::new) {
    @Override
    Dataset bundledData() throws IOException {
      return DataFiles.idx(LeNetExample.mnistFolder(null));
    }
  },
  NEURON("the sigmoid neuron, 3 inputs, half squared error; needs --data",
      SigmoidNeuronModel::new) {
    @Override
    Dataset bundledData() {
      throw new IllegalArgumentException("the neuron network has no bundled data: pass --data "
          + "with a CSV file of 3 feature columns and a target in [0, 1]");
    }
  };

  private final String description;
  private final LongFunction<Model> factory;

  BundledNetwork(String description, LongFunction<Model> factory) {
    this.description = description;
    this.factory = factory;
  }

  /** A fresh model, initialised from {@code seed}. */
  Model create(long seed) {
    return factory.apply(seed);
  }

  /** The data the network trains on when no {@code --data} is given. */
  abstract Dataset bundledData() throws IOException;

  /** One line for {@code --help}. */
  String description() {
    return description;
  }

  /** The name on the command line. */
  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
