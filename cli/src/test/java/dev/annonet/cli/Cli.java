package dev.annonet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.annonet.plot.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine;

/** Runs the annonet command in-process and captures what it printed. */
final class Cli {

  /** The digits CSV the examples bundle (raw pixels 0..16 in p0..p63, label column 'digit'). */
  static final Path DIGITS =
      Path.of("../examples/src/main/resources/dev/annonet/examples/data/digits.csv.gz");

  /** The diabetes CSV the examples bundle (10 raw features, target 'progression' last). */
  static final Path DIABETES =
      Path.of("../examples/src/main/resources/dev/annonet/examples/data/diabetes.csv");

  private Cli() {}

  /** What one run printed and returned. */
  record Run(int exitCode, String out, String err) {

    /** Asserts a failure with {@code code} and exactly one line on stderr, and returns it. */
    String oneLineError(int code) {
      assertEquals(code, exitCode, "exit code; stderr: " + err + "\nstdout: " + out);
      assertEquals(1, err.lines().count(), "one line on stderr:\n" + err);
      return err.strip();
    }
  }

  static Run run(String... args) {
    return run(Progress::auto, args);
  }

  static Run run(Supplier<Progress> progress, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Annonet.commandLine(progress);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
