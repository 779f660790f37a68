package dev.annonet.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code annonet} command. {@code annonet train ...} trains one of the bundled example
 * networks; {@code annonet --help} and {@code annonet train --help} list the options.
 *
 * <p>Exit codes: 0 on success, 1 when the run fails on its input (a data file that cannot be
 * read, data that does not fit the network: the message says what and how to fix it), 2 for an
 * unknown or malformed option (picocli's message and the usage).
 */
@Command(
    name = "annonet",
    mixinStandardHelpOptions = true,
    version = "annonet 0.1.0-SNAPSHOT",
    description = "Trains Annonet's bundled example networks.",
    subcommands = {TrainCommand.class})
public final class Annonet implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Without a subcommand: print the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * The command line, configured: network and optimizer names in any case, and input errors
   * (bad data, unreadable files) reported as one message and exit code 1, not a stack trace.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Annonet());
    cli.registerConverter(BundledNetwork.class, v -> choose(BundledNetwork.values(), v));
    cli.registerConverter(OptimizerChoice.class, v -> choose(OptimizerChoice.values(), v));
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
          || e instanceof IOException || e instanceof UncheckedIOException) {
        String command = commandLine.getCommandSpec().qualifiedName();
        commandLine.getErr().println(command + ": error: " + e.getMessage());
        commandLine.getErr().flush();
        return 1;
      }
      throw e;
    });
    return cli;
  }

  /** The value named {@code text} (in any case), or picocli's error listing the names. */
  static <E extends Enum<E>> E choose(E[] values, String text) {
    for (E value : values) {
      if (value.toString().equalsIgnoreCase(text)) {
        return value;
      }
    }
    throw new CommandLine.TypeConversionException(
        "expected one of " + Arrays.toString(values) + " but was '" + text + "'");
  }

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
