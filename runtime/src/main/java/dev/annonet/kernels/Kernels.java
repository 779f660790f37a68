package dev.annonet.kernels;

/**
 * Tells which implementation the kernels use (the JDK Vector API when present, else plain Java)
 * and sets how many threads share large products and image-parallel kernels (by default, every
 * core).
 *
 * <p>The Vector API lives in the incubator module {@code jdk.incubator.vector}, which a JVM
 * resolves only when launched with {@code --add-modules jdk.incubator.vector}. Classes that
 * mention it ({@code VectorGemm}) are loaded only after {@link #vectorApiAvailable()} said yes,
 * so the runtime works on a JVM without the flag. Setting the system property
 * {@code annonet.kernels=plain} forces the plain path.
 */
public final class Kernels {

  private static final boolean VECTOR_PRESENT =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  private static final boolean PLAIN_REQUESTED =
      "plain".equals(System.getProperty("annonet.kernels"));

  /** Tests flip this to run both paths in one JVM; read once per kernel call. */
  private static volatile boolean forcePlain = PLAIN_REQUESTED;

  /** The system property that sets the initial thread count. */
  static final String THREADS_PROPERTY = "annonet.kernels.threads";

  /** The environment variable that sets it when the property is absent. */
  static final String THREADS_VARIABLE = "ANNONET_KERNELS_THREADS";

  /** The kernel threads, or null for one thread. */
  private static volatile TaskTeam team =
      newTeam(initialThreads(System.getProperty(THREADS_PROPERTY),
          System.getenv(THREADS_VARIABLE), Runtime.getRuntime().availableProcessors()));

  private Kernels() {}

  /**
   * Sets how many threads (the caller included) share the kernels that split their work: large
   * matrix products, convolutions and pooling. 1 runs everything on the caller's thread.
   * Results do not depend on this setting: every split computes the same bits.
   *
   * <p>The initial value is the system property {@code annonet.kernels.threads}, else the
   * environment variable {@code ANNONET_KERNELS_THREADS}, else the number of cores the JVM sees
   * ({@link Runtime#availableProcessors()}).
   */
  public static synchronized void setThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    if (threads == threads()) {
      return;
    }
    TaskTeam old = team;
    team = newTeam(threads);
    if (old != null) {
      old.stop();
    }
  }

  /** Returns how many threads share each large product. */
  public static int threads() {
    TaskTeam t = team;
    return t == null ? 1 : t.threads();
  }

  /**
   * The initial thread count: {@code property}, else {@code variable}, else {@code cores};
   * a value that is not a whole number of at least 1 is refused naming where it came from.
   */
  static int initialThreads(String property, String variable, int cores) {
    String value = property != null ? property : variable;
    if (value == null || value.isBlank()) {
      return Math.max(1, cores);
    }
    String source = property != null
        ? "system property " + THREADS_PROPERTY : "environment variable " + THREADS_VARIABLE;
    int threads;
    try {
      threads = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      threads = 0;
    }
    if (threads < 1) {
      throw new IllegalArgumentException(source + " must be a whole number of threads, at least"
          + " 1, got '" + value + "'; unset it to use all " + cores + " cores");
    }
    return threads;
  }

  static TaskTeam team() {
    return team;
  }

  private static TaskTeam newTeam(int threads) {
    return threads > 1 ? new TaskTeam(threads) : null;
  }

  /** Returns whether the kernels currently use the Vector API. */
  public static boolean vectorApiAvailable() {
    return VECTOR_PRESENT && !forcePlain;
  }

  /** Returns whether the incubator module is resolved in this JVM, whatever the property says. */
  static boolean vectorModulePresent() {
    return VECTOR_PRESENT;
  }

  /** Forces the plain path ({@code true}) or restores the default choice ({@code false}). */
  static void forcePlain(boolean plain) {
    forcePlain = plain || PLAIN_REQUESTED;
  }
}
