package dev.annonet.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data sets a test needs but the repository does not hold: {@code ../shared/data} beside
 * the checkout. A test asks for a folder with {@link #folder}; on a clone with nothing beside it
 * the test is skipped with one line saying what it needs and where, and with {@code CI=true} the
 * data is required: a missing folder fails the test, so CI cannot go green by skipping.
 *
 * <p>Packaged in the runtime's test jar, so that every module's tests share one rule.
 */
public final class SharedData {
  private SharedData() {}

  /**
   * The folder {@code shared/data/<name>} beside the checkout, as seen from a module's directory
   * (where Maven runs a module's tests) or from the checkout's root.
   *
   * @param name the data set's folder under {@code shared/data}, for example {@code "mnist"}
   * @param what what the folder must hold, for the skip message, e.g. "MNIST's IDX files"
   */
  public static Path folder(String name, String what) {
    for (String root : new String[] {"../../shared/data/", "../shared/data/"}) {
      Path candidate = Path.of(root + name);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    String need = "needs " + what + " in ../shared/data/" + name + " beside the checkout";
    if (ciRequiresData(System.getenv("CI"))) {
      fail("CI=true requires the shared data: this test " + need);
    }
    System.err.println("[skip] " + need);
    assumeTrue(false, need);
    throw new AssertionError("unreachable");
  }

  /** Whether the value of the {@code CI} variable makes shared data tests required. */
  static boolean ciRequiresData(String ci) {
    return ci != null && ci.equalsIgnoreCase("true");
  }
}
