package dev.annonet.kernels;

/**
 * Tells which implementation the kernels use: the JDK Vector API when present, else plain Java.
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

  private Kernels() {}

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
