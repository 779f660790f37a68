package dev.annonet.cli;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.data.Standardizer;
import dev.annonet.io.FileInfo;
import dev.annonet.io.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A model file loaded into the bundled network it was saved from: the network is the one the
 * file's {@code network} metadata names, or the one {@code --network} names.
 *
 * @param network the bundled network
 * @param model its model, holding the file's parameters, in inference mode
 * @param info what the file holds
 * @param inputs the standardizer of the inputs, as {@code train --standardize} saved it, or null
 */
record SavedModel(BundledNetwork network, Model model, FileInfo info, Standardizer inputs) {
  /** The metadata entry holding the inputs' {@link Standardizer#encode() standardizer}. */
  static final String STANDARDIZE = "standardize";

  /**
   * Loads {@code file} into a fresh model of its network; {@code option} is the network
   * {@code --network} names, or null.
   *
   * @throws IllegalArgumentException if the file is missing, a checkpoint, or of a network that
   *     is not bundled or not the one {@code option} names
   * @throws IOException if the file is unreadable, corrupted or does not fit the network
   */
  static SavedModel load(Path file, BundledNetwork option) throws IOException {
    requireFile(file, "model file", "give the file that 'annonet train --save' wrote");
    FileInfo info = FileInfo.read(file);
    if (info.kind() == FileInfo.Kind.CHECKPOINT) {
      throw new IllegalArgumentException(file + " is a training checkpoint, not a model file: "
          + "give the file that 'annonet train --save' wrote ('annonet inspect' shows what a "
          + "checkpoint holds)");
    }
    BundledNetwork network = network(file, info.network(), option);
    Model model = network.create(0);
    ModelFile.load(model, file);
    model.setTraining(false);
    Standardizer inputs = null;
    String standardize = info.metadata().get(STANDARDIZE);
    if (standardize != null) {
      try {
        inputs = Standardizer.parse(standardize);
      } catch (IllegalArgumentException e) {
        throw new IOException(file + " has a malformed '" + STANDARDIZE + "' entry ("
            + e.getMessage() + "): save the model again with 'annonet train --standardize'", e);
      }
      if (inputs.width() != model.inputSize()) {
        throw new IOException(file + " standardises " + inputs.width() + " inputs but "
            + model.name() + " takes " + model.inputSize() + ": save the model again");
      }
    }
    return new SavedModel(network, model, info, inputs);
  }

  /** {@code data} as the model was trained on it: standardised when the file says so. */
  Dataset prepare(Dataset data) {
    return inputs == null ? data : inputs.applyToFeatures(data);
  }

  /** Flat input rows as the model was trained on them, standardised in place if need be. */
  void prepare(float[] rows) {
    if (inputs != null) {
      inputs.applyInPlace(rows);
    }
  }

  /** The network of a file that records {@code recorded}, given {@code option} (or null). */
  static BundledNetwork network(Path file, Optional<String> recorded, BundledNetwork option) {
    Optional<BundledNetwork> bundled = recorded.flatMap(BundledNetwork::forModelName);
    if (option != null) {
      if (bundled.isPresent() && bundled.get() != option) {
        throw new IllegalArgumentException(file + " holds network " + recorded.get() + " ("
            + bundled.get() + ") but --network says " + option + ": drop --network, or give a "
            + "file saved from " + option);
      }
      return option;
    }
    if (recorded.isEmpty()) {
      throw new IllegalArgumentException(file + " does not record which network it holds (a "
          + "file written by another program?): name it with --network, one of " + names());
    }
    return bundled.orElseThrow(() -> new IllegalArgumentException(file + " holds network "
        + recorded.get() + ", which is not one of the bundled networks (" + names()
        + "): load it from Java with " + recorded.get() + "Model and ModelFile.load"));
  }

  /** Fails with a message naming {@code file} unless it is a regular file. */
  static void requireFile(Path file, String what, String fix) {
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(file + " is a folder, not a " + what + ": " + fix);
    }
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(file + " does not exist: " + fix);
    }
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(file + " cannot be read (permission denied)");
    }
  }

  /** The bundled networks with the names their files record, e.g. {@code digits (Digits)}. */
  static String names() {
    return Arrays.stream(BundledNetwork.values())
        .map(n -> n + " (" + n.modelName() + ")")
        .collect(Collectors.joining(", "));
  }
}
