package dev.annonet.kernels;

/**
 * Tells which implementation the kernels use (the JDK Vector API when present, else plain Java)
 * and sets how many threads share large products and image-parallel kernels.
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

  /** The team sharing large products, or null for one thread (the default). */
  private static volatile GemmTeam team = newTeam(Integer.getInteger("annonet.kernels.threads", 1));

  /** The team sharing image-parallel kernels (convolution, pooling), or null for one thread. */
  private static volatile TaskTeam taskTeam =
      newTaskTeam(Integer.getInteger("annonet.kernels.threads", 1));

  private Kernels() {}

  /**
   * Sets how many threads (the caller included) share each large product; 1, the default, runs
   * every product on the caller's thread. Results do not depend on this setting. The initial
   * value comes from the system property {@code annonet.kernels.threads}.
   */
  public static synchronized void setThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    if (threads == threads()) {
      return;
    }
    GemmTeam old = team;
    team = newTeam(threads);
    if (old != null) {
      old.stop();
    }
    TaskTeam oldTasks = taskTeam;
    taskTeam = newTaskTeam(threads);
    if (oldTasks != null) {
      oldTasks.stop();
    }
  }

  /** Returns how many threads share each large product. */
  public static int threads() {
    GemmTeam t = team;
    return t == null ? 1 : t.threads();
  }

  static GemmTeam team() {
    return team;
  }

  static TaskTeam taskTeam() {
    return taskTeam;
  }

  private static GemmTeam newTeam(int threads) {
    return threads > 1 ? new GemmTeam(threads) : null;
  }

  private static TaskTeam newTaskTeam(int threads) {
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
