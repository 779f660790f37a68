package dev.annonet.kernels;

/**
 * Tells which implementation the kernels use (the JDK Vector API when present, else plain Java)
 * and sets how many threads share large products and image-parallel kernels (by default, every
 * core).
 *
 * <p>The Vector API lives in the incubator module {@code jdk.incubator.vector}, which a JVM
 * resolves only when launched with {@code --add-modules jdk.incubator.vector}. Classes that
 * mention it ({@code VectorGemm}, {@code VectorConv}, {@code VectorUpdates}, ...) are loaded
 * only after {@link #vectorApiAvailable()} said yes, so the runtime works on a JVM without the
 * flag. Setting the system property
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

  /** The trap limit below which {@link #trapLimitWarning} warns, and the value it asks for. */
  static final long TRAP_LIMIT = 1000;

  static {
    if (VECTOR_PRESENT && !PLAIN_REQUESTED) {
      String warning = trapLimitWarning(Runtime.version().feature(), perMethodTrapLimit());
      if (warning != null) {
        System.err.println(warning);
      }
    }
  }

  private Kernels() {}

  /**
   * The warning for a JVM whose JIT would fall back to the Vector API's slow Java code once a
   * kernel method has been deoptimized {@code limit} times, or null. Java 17's C2 does so at its
   * default {@code PerMethodTrapLimit} of 100, which a program that trains several kinds of
   * networks reaches (BENCHMARKS.md measured an MLP 18 times slower after LeNet-5 in the same
   * JVM); Java 25's does not. {@code limit} is -1 when the JVM does not say.
   */
  static String trapLimitWarning(int javaFeature, long limit) {
    if (javaFeature >= 25 || limit < 0 || limit >= TRAP_LIMIT) {
      return null;
    }
    return "annonet: on Java " + javaFeature + " the JIT compiles the Vector API kernels into"
        + " their slow fallback once a method has been deoptimized " + limit + " times"
        + " (-XX:PerMethodTrapLimit), which training several kinds of networks in one JVM"
        + " reaches; start the JVM with -XX:PerMethodTrapLimit=" + TRAP_LIMIT + " to keep them"
        + " fast";
  }

  /** This JVM's {@code PerMethodTrapLimit}, or -1 if it has none or will not say. */
  private static long perMethodTrapLimit() {
    try {
      com.sun.management.HotSpotDiagnosticMXBean bean =
          java.lang.management.ManagementFactory.getPlatformMXBean(
              com.sun.management.HotSpotDiagnosticMXBean.class);
      return Long.parseLong(bean.getVMOption("PerMethodTrapLimit").getValue());
    } catch (RuntimeException | LinkageError e) {
      return -1;
    }
  }

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

  /** Returns how many kernel threads there are, the caller included. */
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

  /**
   * Installs {@code next} (null: one thread) as the kernel team and returns the team it
   * replaces, which is left running so that it can be installed again ({@link
   * ScalingEstimate}).
   */
  static synchronized TaskTeam swapTeam(TaskTeam next) {
    TaskTeam old = team;
    team = next;
    return old;
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
