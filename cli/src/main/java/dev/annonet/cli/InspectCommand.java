package dev.annonet.cli;

import dev.annonet.LayerInfo;
import dev.annonet.Model;
import dev.annonet.io.FileInfo;
import dev.annonet.io.ModelFile;
import dev.annonet.io.SafeTensors;
import dev.annonet.train.Checkpoint;
import dev.annonet.train.EpochRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code annonet inspect}: what a model file or a training checkpoint holds: its network and,
 * for a bundled one, its layers; each tensor's dtype, shape and range; the metadata; whether
 * the checksum matches and whether the file loads into its network. Exits with 1 when the
 * checksum does not match or the file does not load.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Prints what a model file or training checkpoint holds: network and layers, tensors "
          + "with their shapes, metadata, and whether the checksum matches.",
      "Exits with 1 when the checksum does not match or the file does not load into its "
          + "network."
    })
final class InspectCommand implements Callable<Integer> {

  /** Metadata values longer than this are shortened. */
  private static final int VALUE_WIDTH = 72;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE",
      description = "A model file ('annonet train --save'), a training checkpoint, or any "
          + "safetensors file.")
  Path file;

  @Option(names = {"-n", "--network"}, paramLabel = "NAME",
      description = "The network, for a file that does not record it: "
          + "${COMPLETION-CANDIDATES}.")
  BundledNetwork network;

  @Override
  public Integer call() throws IOException {
    SavedModel.requireFile(file, "model file", "give a file written by 'annonet train --save' "
        + "or a checkpoint");
    FileInfo info = FileInfo.read(file);
    SafeTensors.Contents contents = SafeTensors.read(file);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%s: %s, %,d bytes%n", file, info.kind().description(),
        info.bytes());
    Optional<String> recorded = info.network();
    BundledNetwork bundled = network != null ? SavedModel.network(file, recorded, network)
        : recorded.flatMap(BundledNetwork::forModelName).orElse(null);
    printNetwork(out, recorded, bundled);
    printTensors(out, info, contents);
    printMetadata(out, info);
    out.println("checksum: " + info.checksum());

    String problem = null;
    if (info.checksum().state() == FileInfo.ChecksumState.MISMATCH) {
      problem = file + " is corrupted: its checksum is " + info.checksum().stored() + " but its "
          + "contents give " + info.checksum().computed() + "; restore it from a copy";
    } else if (info.kind() == FileInfo.Kind.CHECKPOINT) {
      problem = printCheckpoint(out);
    } else if (bundled != null) {
      try {
        ModelFile.load(bundled.create(0), file);
        out.println("loads into: " + bundled);
      } catch (IOException e) {
        out.println("loads into: no, " + e.getMessage());
        problem = e.getMessage();
      }
    }
    out.flush();
    if (problem != null) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(spec.qualifiedName() + ": error: " + problem);
      err.flush();
      return 1;
    }
    return 0;
  }

  private static void printNetwork(PrintWriter out, Optional<String> recorded,
      BundledNetwork bundled) {
    if (bundled == null) {
      out.println("network: " + recorded.map(name -> name + " (not a bundled network; the file "
          + "records its name, not its layers)")
          .orElse("not recorded (name a bundled one with --network to see its layers)"));
      return;
    }
    Model model = bundled.create(0);
    out.printf(Locale.ROOT, "network: %s, bundled as %s: %d -> %d, %s, %,d parameters%n",
        model.name(), bundled, model.inputSize(), model.outputSize(),
        model.task().name().toLowerCase(Locale.ROOT), model.parameterCount());
    TextTable layers = new TextTable(false, false, false, true);
    layers.add("layer", "kind", "output", "parameters");
    for (LayerInfo layer : model.layers()) {
      layers.add(layer.name(),
          layer.kind() + (layer.activation().isEmpty() ? "" : "+" + layer.activation()),
          layer.shapeString(), String.format(Locale.ROOT, "%,d", layer.parameterCount()));
    }
    layers.print(out, "  ");
  }

  private static void printTensors(PrintWriter out, FileInfo info,
      SafeTensors.Contents contents) {
    long values = info.tensors().stream().mapToLong(FileInfo.TensorInfo::elements).sum();
    out.printf(Locale.ROOT, "tensors: %d, %,d values%n", info.tensors().size(), values);
    TextTable table = new TextTable(false, false, false, true, true, false);
    table.add("name", "dtype", "shape", "min", "max", "");
    for (FileInfo.TensorInfo t : info.tensors()) {
      SafeTensors.Tensor floats = contents.tensors().get(t.name());
      String min = "";
      String max = "";
      String note = "";
      if (floats != null && floats.data().length > 0) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        int bad = 0;
        for (float v : floats.data()) {
          if (Float.isFinite(v)) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          } else {
            bad++;
          }
        }
        min = bad == floats.data().length ? "-" : number(lo);
        max = bad == floats.data().length ? "-" : number(hi);
        note = bad == 0 ? "" : String.format(Locale.ROOT, "%,d not finite", bad);
      } else if (contents.ints().get(t.name()) != null) {
        int[] ints = contents.ints().get(t.name()).data();
        if (ints.length > 0) {
          min = Integer.toString(java.util.Arrays.stream(ints).min().getAsInt());
          max = Integer.toString(java.util.Arrays.stream(ints).max().getAsInt());
        }
      }
      table.add(t.name(), t.dtype(), t.shapeString(), min, max, note);
    }
    table.print(out, "  ");
  }

  private static void printMetadata(PrintWriter out, FileInfo info) {
    if (info.metadata().isEmpty()) {
      out.println("metadata: none");
      return;
    }
    out.println("metadata:");
    TextTable table = new TextTable(false, false);
    info.metadata().forEach((key, value) -> table.add(key, shorten(value)));
    table.print(out, "  ");
  }

  /** The training state of a checkpoint whose checksum matched; the problem, or null. */
  private String printCheckpoint(PrintWriter out) {
    Checkpoint c;
    try {
      c = Checkpoint.read(file);
    } catch (IOException e) {
      return e.getMessage();
    }
    Checkpoint.Progress p = c.progress();
    out.printf(Locale.ROOT, "training: %d epochs done, %,d updates, batch %d, seed %d, %s; %s%n",
        p.epoch(), p.updates(), p.batchSize(), p.seed(), c.optimizer().settings(),
        p.stopReason() == null ? "unfinished" : "stopped: " + p.stopMessage());
    List<EpochRecord> history = new ArrayList<>(c.history());
    if (!history.isEmpty()) {
      out.println("last epoch: " + history.get(history.size() - 1).describe(p.epoch()));
    }
    return null;
  }

  /** A metadata value on one line: long or multi-line values shortened. */
  private static String shorten(String value) {
    long lines = value.lines().count();
    if (lines > 1) {
      return "(" + lines + " lines)";
    }
    return value.length() <= VALUE_WIDTH ? value : value.substring(0, VALUE_WIDTH - 3) + "...";
  }

  private static String number(float v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }
}
