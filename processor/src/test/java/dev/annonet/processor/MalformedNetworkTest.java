package dev.annonet.processor;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Odd and malformed {@code @Network} declarations: generics, nested and inner classes,
 * interfaces, records, enums, names that clash with generated identifiers, many layers. Each
 * either compiles (with the generated code compiling too) or is rejected with clear errors; the
 * processor never fails internally and never generates code that does not compile.
 */
class MalformedNetworkTest {
  private static final String MLP = "  @Input(4) Layer x;\n  @Dense(3) @Relu Layer h;\n"
      + "  @Dense(2) Layer out;\n";

  record Case(String name, String className, String source, boolean compiles) {}

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("generic class", "Net",
        "@Network @SquaredError abstract class Net<T extends Number> {\n" + MLP + "}", true));
    cases.add(new Case("static nested class", "Outer",
        "class Outer { @Network @SquaredError abstract static class Inner {\n" + MLP + "} }",
        true));
    cases.add(new Case("inner class with phi methods", "Outer",
        "class Outer { @Network @ResidualLoss abstract class Inner {\n" + MLP
            + "  @Phi static float phi(float r) { return r * r; }\n"
            + "  @PhiDerivative static float dphi(float r) { return 2 * r; }\n} }", true));
    cases.add(new Case("inner class with a phi to derive, a constant and a helper", "Outer",
        "class Outer { @Network @ResidualLoss abstract class Inner {\n" + MLP
            + "  static final float C = 2f;\n"
            + "  @Phi static float phi(float r) { return C * square(r); }\n"
            + "  static float square(float u) { return u * u; }\n} }", true));
    cases.add(new Case("class nested in an interface", "Holder",
        "interface Holder { @Network @SquaredError abstract class Net {\n" + MLP + "} }", true));
    cases.add(new Case("interface", "Net",
        "@Network @SquaredError interface Net {\n  @Input(4) Layer x = null;\n}", false));
    cases.add(new Case("record", "Net",
        "@Network @SquaredError record Net(int a) {}", false));
    cases.add(new Case("enum", "Net", "@Network @SquaredError enum Net { A }", false));
    cases.add(new Case("annotation type", "Net", "@Network @SquaredError @interface Net {}",
        false));
    cases.add(new Case("layer names that clash with generated constants", "Net",
        "@Network @SquaredError abstract class Net {\n  @Input(4) Layer x;\n"
            + "  @Dense(3) @Relu Layer input;\n  @Dropout(0.1) Layer output;\n"
            + "  @Dense(3) Layer target;\n  @Add(from = \"target\") Layer parameterCount;\n"
            + "  @Dense(2) Layer layers;\n}", true));
    cases.add(new Case("names equal but for case or underscores", "Net",
        "@Network @SquaredError abstract class Net {\n  @Input(4) Layer x;\n"
            + "  @Dense(3) @Relu Layer a;\n  @Dense(3) @Relu Layer A;\n"
            + "  @Dense(3) Layer fooBar;\n  @Dense(3) Layer foo_bar;\n"
            + "  @Add(from = {\"a\", \"A\"}) Layer sum;\n  @Dense(2) Layer out;\n}", true));
    cases.add(new Case("names of generated fields and locals", "Net",
        "@Network @ResidualLoss abstract class Net {\n  @Input(4) Layer params;\n"
            + "  @Dense(3) @Tanh Layer grads;\n  @Dense(3) Layer batch;\n"
            + "  @BatchNorm Layer training;\n  @Dense(3) Layer loss;\n  @Dense(3) Layer d;\n"
            + "  @Dense(3) Layer capacity;\n  @Dense(3) Layer y;\n  @Dense(2) Layer x;\n"
            + "  @Phi static float phi(float r) { return r * r; }\n"
            + "  @PhiDerivative static float dphi(float r) { return 2 * r; }\n}", true));
    cases.add(new Case("a network class named Model", "Model",
        "@Network @SquaredError abstract class Model {\n" + MLP + "}", true));
    StringBuilder many = new StringBuilder("@Network @SoftmaxCrossEntropy abstract class Net {\n"
        + "  @Input(8) Layer x;\n");
    for (int i = 0; i < 120; i++) {
      many.append("  @Dense(8) @Tanh Layer h").append(i).append(";\n");
    }
    cases.add(new Case("120 layers", "Net", many.append("  @Dense(3) Layer out;\n}").toString(),
        true));
    cases.add(new Case("sizes from constants", "Net",
        "@Network @SquaredError abstract class Net {\n  static final int N = 5;\n"
            + "  @Input(N) Layer x;\n  @Dense(N * 2) Layer h;\n  @Dense(1) Layer out;\n}",
        true));
    cases.add(new Case("a size that is not a constant", "Net",
        "@Network @SquaredError abstract class Net {\n  static int n = 5;\n"
            + "  @Input(n) Layer x;\n  @Dense(1) Layer out;\n}", false));
    cases.add(new Case("an unknown layer type", "Net",
        "@Network @SquaredError abstract class Net {\n  @Input(4) Layer x;\n"
            + "  @Dense(3) Lyer h;\n  @Dense(1) Layer out;\n}", false));
    cases.add(new Case("private, final and transient layer fields", "Net",
        "@Network @SquaredError abstract class Net {\n  @Input(4) private Layer x;\n"
            + "  @Dense(3) transient Layer h;\n  @Dense(1) final Layer out = null;\n}", true));
    cases.add(new Case("other fields and methods beside the layers", "Net",
        "@Network @SquaredError abstract class Net implements java.io.Serializable {\n"
            + "  private static final long serialVersionUID = 1L;\n  int counter;\n"
            + "  @Input(4) Layer x;\n  String name() { return \"x\"; }\n  @Dense(1) Layer out;\n"
            + "  abstract void hook();\n}", true));
    cases.add(new Case("empty class", "Net", "@Network @SquaredError abstract class Net {}",
        false));
    cases.add(new Case("two networks in one file", "Net",
        "@Network @SquaredError abstract class Net {\n" + MLP + "}\n"
            + "@Network @SquaredError abstract class Net2 {\n" + MLP + "}", true));
    return cases;
  }

  @TestFactory
  Stream<DynamicTest> oddDeclarations() {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  private static void check(Case c) {
    JavaFileObject file =
        JavaFileObjects.forSourceString("test." + c.className(),
            "package test;\nimport dev.annonet.nn.*;\n" + c.source() + "\n");
    Compilation compilation = javac().withProcessors(new NetworkProcessor()).compile(file);
    for (Diagnostic<? extends JavaFileObject> d : compilation.errors()) {
      String message = d.getMessage(null);
      if (message.contains("[Annonet/Internal]")) {
        fail("the processor failed internally: " + message);
      }
      String where = d.getSource() == null ? "" : d.getSource().toUri().toString();
      if (where.endsWith("Model.java") && !where.endsWith("/test/Model.java")) {
        fail("generated code does not compile: " + message + " in " + where);
      }
    }
    assertEquals(
        c.compiles(), compilation.status() == Compilation.Status.SUCCESS,
        c.name() + ": " + compilation.diagnostics());
    if (!c.compiles()) {
      assertTrue(!compilation.errors().isEmpty());
    }
  }
}
