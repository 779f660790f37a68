package dev.annonet.examples.lenet;

import dev.annonet.data.Dataset;
import dev.annonet.data.Idx;
import dev.annonet.optim.Adam;
import dev.annonet.plot.Progress;
import dev.annonet.train.Callback;
import dev.annonet.train.EpochRecord;
import dev.annonet.train.Trainer;
import dev.annonet.train.TrainingReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * LeNet-5 on MNIST: the {@link LeNet} network (convolutions, max pooling, flatten, dense layers)
 * trained with Adam on the 60,000 training images and tested on the 10,000 test images. Teaches
 * a convolutional network end to end and the IDX reader. The MNIST files are read from the
 * folder given as the first argument, or from {@code ../shared/data/mnist}.
 */
public final class LeNetExample {
  private LeNetExample() {}

  /** Finds the MNIST folder: {@code arg} if given, else the shared data beside the checkout. */
  public static Path mnistFolder(String arg) {
    if (arg != null) {
      return Path.of(arg);
    }
    for (String candidate : new String[] {"../shared/data/mnist", "../../shared/data/mnist"}) {
      Path p = Path.of(candidate);
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "MNIST not found in ../shared/data/mnist: pass the folder holding"
            + " train-images-idx3-ubyte.gz and its siblings as the first argument");
  }

  /**
   * Trains LeNet on MNIST's training split for {@code epochs}; validates on the test split;
   * silently.
   */
  public static TrainingReport train(Path mnist, long seed, int epochs) throws IOException {
    return train(mnist, seed, epochs, Progress.quiet());
  }

  /** {@link #train(Path, long, int)}, showing its progress through {@code progress}. */
  public static TrainingReport train(Path mnist, long seed, int epochs, Callback progress)
      throws IOException {
    Dataset trainSet =
        Idx.read(
            mnist.resolve("train-images-idx3-ubyte.gz"),
            mnist.resolve("train-labels-idx1-ubyte.gz"));
    Dataset testSet =
        Idx.read(
            mnist.resolve("t10k-images-idx3-ubyte.gz"), mnist.resolve("t10k-labels-idx1-ubyte.gz"));
    LeNetModel model = new LeNetModel(seed);
    return Trainer.of(model)
        .optimizer(Adam.defaults())
        .batchSize(64)
        .epochs(epochs)
        .seed(seed)
        .validation(testSet)
        .quiet()
        .callback(progress)
        .fit(trainSet);
  }

  public static void main(String[] args) throws IOException {
    Path mnist = mnistFolder(args.length > 0 ? args[0] : null);
    TrainingReport report = train(mnist, 42, 6, Progress.auto());
    System.out.println("LeNet-5 on MNIST, Adam(1e-3), batch 64, 60,000 training images");
    System.out.println(" epoch  train loss  test loss  test accuracy  seconds");
    for (EpochRecord e : report.history()) {
      System.out.printf(
          "%6d  %10.4f  %9.4f  %12.2f%%  %7.1f%n",
          e.epoch(), e.trainLoss(), e.validation().loss(), 100 * e.validation().accuracy(),
          e.seconds());
    }
    System.out.printf("test accuracy: %.2f%%%n", 100 * report.validation().accuracy());
  }
}
