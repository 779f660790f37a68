package dev.annonet.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.annonet.processor.Sources.compile;
import static dev.annonet.processor.Sources.network;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * A {@code @ResidualLoss} without {@code @PhiDerivative}: the derivative Annonet writes from
 * phi's source, and the error on each construct it cannot differentiate, placed on that
 * construct's line and column.
 */
class PhiDerivationTest {
  private static final String NET = """
      @Network @ResidualLoss
      abstract class Net {
        @Input(4) Layer x;
        @Dense(1) Layer y;
      """;

  private static final String SQUARE =
      NET + "  @Phi static float phi(float r) { return r * r; }\n}\n";

  /** Compiles a network with {@code methods}; returns the generated model's source. */
  private static String derived(String methods) throws IOException {
    Compilation c = compile(network("Net", NET + methods + "}\n"));
    assertThat(c).succeededWithoutWarnings();
    JavaFileObject model = c.generatedSourceFile("test.NetModel").orElseThrow();
    return model.getCharContent(true).toString();
  }

  /**
   * Expects exactly one PhiNotDerivable error naming {@code what}, its caret where {@code ^}
   * stands in {@code marker} (found after {@code @Phi}, without the {@code ^}): javac's own place
   * for the tree, the operator of an assignment, the parenthesis of a call.
   */
  private static void expectNotDerivable(String methods, String what, String marker) {
    String body = NET + methods + "}\n";
    JavaFileObject src = network("Net", body);
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    String text = Sources.IMPORTS + body;
    int caret = marker.indexOf('^');
    int at = text.indexOf(marker.replace("^", ""), text.indexOf("@Phi")) + caret;
    assertWithMessage("marker %s", marker).that(at).isAtLeast(caret);
    int line = (int) text.substring(0, at).chars().filter(ch -> ch == '\n').count() + 1;
    int column = at - text.lastIndexOf('\n', at - 1);
    assertThat(c)
        .hadErrorContaining("[Annonet/PhiNotDerivable] Annonet cannot derive @Phi method phi: "
            + what + " is outside the Java it differentiates")
        .inFile(src)
        .onLine(line)
        .atColumn(column);
    assertThat(c).hadErrorContaining("write the derivative by hand as '@PhiDerivative static"
        + " float dphi(float r) { ... }'");
  }

  @Test
  void aHelperIsDerivedIntoItsOwnMethodWithTheChainRuleAtItsCall() throws IOException {
    String src = derived("""
          static final float TAU = 0.3f;
          @Phi static float phi(float r) {
            return pinball(2 * r) + r;
          }
          static float pinball(float u) {
            return u < 0 ? (TAU - 1) * u : TAU * u;
          }
        """);
    assertWithMessage(src).that(src).contains("return (float) (dPinball(2 * r, 2.0) + 1.0);");
    assertWithMessage(src).that(src).contains(
        "private static double dPinball(float u, double d_u) {\n"
            + "    return u < 0 ? (Net.TAU - 1) * d_u : Net.TAU * d_u;");
    assertWithMessage(src).that(src).contains("derivative of {@code Net.pinball} along");
  }

  @Test
  void localsGetTheirDerivativesAndBranchesTheirOwn() throws IOException {
    String src = derived("""
          @Phi static float phi(float r) {
            final float a = Math.abs(r);
            var s = (float) Math.sqrt(1 + r * r);
            if (a <= 1) {
              return s;
            } else if (r > 3) {
              return Math.max(r, 2 * r);
            }
            return a - 0.5f;
          }
        """);
    assertWithMessage(src).that(src).contains("float a = Math.abs(r);\n"
        + "    double d_a = Math.signum(r);\n"
        + "    var s = (float) Math.sqrt(1 + r * r);\n"
        + "    double d_s = 2 * r / (2.0 * Math.sqrt(1 + r * r));\n"
        + "    if (a <= 1) {\n"
        + "      return (float) d_s;\n"
        + "    } else if (r > 3) {\n"
        + "      return (float) (r > 2 * r ? 1.0 : r < 2 * r ? 2.0 : 1.5);\n"
        + "    }\n"
        + "    return (float) d_a;");
  }

  /** An integer literal in the derivative must not turn it into integer division. */
  @Test
  void integerLiteralsKeepTheDerivativeInFloatingPoint() throws IOException {
    String src = derived("""
          private static final float HALF = 0.5f;
          @Phi static float phi(float r) {
            return r * 2 / 3 + HALF * (float) Math.pow(r, 3) - (int) r;
          }
        """);
    assertWithMessage(src).that(src).contains(
        "return (float) (2.0 / 3 + 1.5f * Math.pow(r, 2.0));");
  }

  @Test
  void theModelExposesPhiAndAHandWrittenDphi() throws IOException {
    String src = derived("""
          @Phi static float loss(float r) { return r * r; }
          @PhiDerivative static float slope(float r) { return 2 * r; }
        """);
    assertWithMessage(src).that(src).contains(
        "public static float phi(float r) {\n    return Net.loss(r);");
    assertWithMessage(src).that(src).contains(
        "public static float dphi(float r) {\n    return Net.slope(r);");
    assertWithMessage(src).that(src).contains("d[k] = -scale * Net.slope(r);");
  }

  @Test
  void tangentsNeverTakeTheUsersNames() throws IOException {
    String src = derived("""
          @Phi static float phi(float r) {
            float a = r * r;
            float d_a = 3 * r;
            return a + d_a;
          }
        """);
    assertWithMessage(src).that(src).contains("float a = r * r;\n"
        + "    double d_a_ = 2 * r;\n"
        + "    float d_a = 3 * r;\n"
        + "    return (float) (d_a_ + 3.0);");
  }

  /** Another compiler (Eclipse's) has no {@code Trees}: phi needs a hand-written derivative. */
  @Test
  void phiNeedsJavac() {
    JavaFileObject src = network("Net", SQUARE);
    Compilation c = javac().withProcessors(new ForeignCompiler()).compile(src);
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[Annonet/PhiNeedsJavac] Annonet derives the derivative of @Phi method"
            + " phi from its source, which this compiler (jdk.proxy")
        .inFile(src)
        .onLineContaining("@Phi static float phi");
    assertThat(c)
        .hadErrorContaining(") does not give to annotation processors: write it by hand as"
            + " '@PhiDerivative static float dphi(float r) { ... }', or compile with javac")
        .inFile(src)
        .onLineContaining("@Phi static float phi");
  }

  @Test
  void anInternalErrorWhileDerivingIsReportedOnTheClass() {
    NetworkProcessor processor = new NetworkProcessor((stage, network) -> {
      if (stage.equals("derive")) {
        throw new AssertionError("no derive stage");
      }
    });
    JavaFileObject src = network("Net", SQUARE);
    Compilation c = javac().withProcessors(processor).compile(src);
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[Annonet/Internal] Annonet could not process test.Net because of an"
            + " internal error, please report it: java.lang.AssertionError: no derive stage")
        .inFile(src)
        .onLineContaining("abstract class Net");
  }

  /** The real processor, given a processing environment that is not javac's. */
  private static final class ForeignCompiler extends AbstractProcessor {
    private final NetworkProcessor inner = new NetworkProcessor();

    /** javac's environment under another class's name, so {@code Trees.instance} refuses it. */
    @Override
    public synchronized void init(ProcessingEnvironment env) {
      super.init(env);
      inner.init((ProcessingEnvironment) Proxy.newProxyInstance(
          ProcessingEnvironment.class.getClassLoader(),
          new Class<?>[] {ProcessingEnvironment.class},
          (proxy, method, args) -> method.invoke(env, args)));
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return inner.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      return inner.process(annotations, round);
    }
  }

  @Test
  void loop() {
    expectNotDerivable("""
          @Phi static float phi(float r) {
            float s = 0;
            for (int i = 0; i < 3; i++) { s = s + r; }
            return s;
          }
        """, "a for loop", "^for (");
  }

  @Test
  void whileLoop() {
    expectNotDerivable("""
          @Phi static float phi(float r) {
            while (r > 1) { return r; }
            return r * r;
          }
        """, "a while loop", "^while");
  }

  @Test
  void fieldRead() {
    expectNotDerivable("""
          static float scale = 2;
          @Phi static float phi(float r) {
            return scale * r * r;
          }
        """, "a read of the field scale (only static final numeric constants can be read)",
        "^scale * r");
  }

  @Test
  void unknownMethodCall() {
    expectNotDerivable("""
          @Phi static float phi(float r) {
            return (float) Math.cbrt(r) + r;
          }
        """, "a call to Math.cbrt with 1 argument", "Math.cbrt^(r)");
  }

  @Test
  void callOfAnotherClass() {
    expectNotDerivable("""
          @Phi static float phi(float r) {
            return Float.sum(r, r);
          }
        """, "a call to Float.sum", "Float.sum^(r, r)");
  }

  @Test
  void recursion() {
    expectNotDerivable("""
          @Phi static float phi(float r) {
            return r <= 1 ? r * r : half(r);
          }
          static float half(float u) {
            return phi(u / 2) + 1;
          }
        """, "a recursive call (phi -> half -> phi)", "phi^(u / 2)");
  }

  @Test
  void reassignment() {
    expectNotDerivable("""
          @Phi static float phi(float r) {
            float a = r * r;
            a = a + 1;
            return a;
          }
        """, "an assignment to 'a' after its declaration (declare a new local instead)",
        "a ^= a + 1");
  }

  @Test
  void callOfAnInstanceMethod() {
    expectNotDerivable("""
          @Phi static float phi(float r) {
            return r * r + new Object().hashCode();
          }
        """, "a call to new Object().hashCode", "hashCode^()");
  }

  @Test
  void overloadedHelper() {
    expectNotDerivable("""
          @Phi static float phi(float r) {
            return square(r);
          }
          static float square(float u) { return u * u; }
          static double square(double u) { return u * u; }
        """, "a call to the overloaded method square", "square^(r)");
  }

  @Test
  void privateHelper() {
    expectNotDerivable("""
          @Phi static float phi(float r) {
            return square(r);
          }
          private static float square(float u) { return u * u; }
        """, "a call to the private method square (the generated model calls it: make it"
        + " package-private)", "square^(r)");
  }

  @Test
  void increment() {
    expectNotDerivable("""
          @Phi static float phi(float r) {
            int n = 1;
            n++;
            return n * r;
          }
        """, "an assignment to 'n' after its declaration (declare a new local instead)", "n^++");
  }
}
