package dev.annonet.cli;

import dev.annonet.plot.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code annonet} command. {@code annonet train ...} trains one of the bundled example
 * networks and saves it; {@code predict}, {@code evaluate} and {@code inspect} use the saved
 * file. {@code annonet --help} lists the verbs, {@code annonet <verb> --help} their options.
 *
 * <p>Exit codes: 0 on success, 1 when the run fails on its input (a file that is missing,
 * unreadable or corrupted, data that does not fit the network: the message says what and how to
 * fix it), 2 for an unknown or malformed option. Either way the error is one line on stderr,
 * never a stack trace.
 */
@Command(
    name = "annonet",
    mixinStandardHelpOptions = true,
    version = "annonet 0.1.0-SNAPSHOT",
    description = "Trains Annonet's bundled networks; predicts with, evaluates and inspects the "
        + "model files it saves.",
    subcommands = {TrainCommand.class, PredictCommand.class, EvaluateCommand.class,
        InspectCommand.class})
public final class Annonet implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Without a subcommand: print the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * The command line, configured: network and optimizer names in any case, usage errors as one
   * line and exit code 2, input errors (bad data, unreadable files) as one line and exit code
   * 1; {@code train} shows {@link Progress#auto()}.
   */
  public static CommandLine commandLine() {
    return commandLine(Progress::auto);
  }

  /** As {@link #commandLine()}, with {@code train}'s progress from {@code progress}. */
  static CommandLine commandLine(Supplier<Progress> progress) {
    CommandLine cli = new CommandLine(new Annonet());
    cli.registerConverter(BundledNetwork.class, v -> choose(BundledNetwork.values(), v));
    cli.registerConverter(OptimizerChoice.class, v -> choose(OptimizerChoice.values(), v));
    ((TrainCommand) cli.getSubcommands().get("train").getCommand()).progress = progress;
    cli.setParameterExceptionHandler((e, args) -> {
      CommandLine command = e.getCommandLine();
      String hint = "";
      if (e instanceof CommandLine.UnmatchedArgumentException unmatched
          && !unmatched.getSuggestions().isEmpty()) {
        hint = " (possible solutions: " + String.join(", ", unmatched.getSuggestions()) + ")";
      }
      command.getErr().println(e.getMessage() + hint + "; see '"
          + command.getCommandSpec().qualifiedName() + " --help'");
      command.getErr().flush();
      return 2;
    });
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      String command = commandLine.getCommandSpec().qualifiedName();
      commandLine.getErr().println(command + ": error: " + message(e));
      commandLine.getErr().flush();
      return 1;
    });
    return cli;
  }

  /** One line saying what went wrong; for an unexpected exception, what it was. */
  static String message(Exception e) {
    if (e instanceof NoSuchFileException missing) {
      return missing.getFile() + " does not exist";
    }
    if (e instanceof AccessDeniedException denied) {
      return denied.getFile() + " cannot be read (permission denied)";
    }
    if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
        || e instanceof IOException || e instanceof UncheckedIOException) {
      String message = e.getMessage();
      return message == null ? e.getClass().getSimpleName() : message.lines().findFirst()
          .orElse("");
    }
    return "unexpected " + e.getClass().getName() + (e.getMessage() == null ? ""
        : ": " + e.getMessage().lines().findFirst().orElse("")) + " (a bug in annonet: please "
        + "report it with the command line)";
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
