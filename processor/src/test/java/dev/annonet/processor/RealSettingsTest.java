package dev.annonet.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.annonet.processor.Sources.compile;
import static dev.annonet.processor.Sources.network;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real-valued settings ({@code @Dropout}, {@code @LeakyRelu}, {@code @Huber}, {@code @BatchNorm},
 * {@code @LayerNorm}) take the literal a Java user writes first, {@code 0.25}, as well as a float
 * literal {@code 0.25f} or an integer; the generated model computes with the float, and the
 * range checks judge that float.
 */
class RealSettingsTest {
  /** Every real-valued setting; filled in with {@link String#format}. */
  private static final String ALL_SETTINGS =
      """
      @Network @Huber(%s)
      abstract class Net {
        @Input({2, 4, 4}) Layer image;
        @Conv2d(filters = 3, kernel = 3) @LeakyRelu(%s) Layer c1;
        @BatchNorm(momentum = %s, eps = %s) Layer bn;
        @Flatten Layer flat;
        @Dropout(%s) Layer drop;
        @Dense(4) Layer h;
        @LayerNorm(eps = %s) Layer ln;
        @Dense(1) Layer y;
      }
      """;

  private static Compilation compileSettings(String... settings) {
    Compilation c = compile(network("Net", String.format(ALL_SETTINGS, (Object[]) settings)));
    assertThat(c).succeededWithoutWarnings();
    return c;
  }

  @Test
  void plainDoubleLiteralsCompileIntoFloatLiterals() throws IOException {
    String src = generated(compileSettings("1.0", "0.1", "0.2", "1e-3", "0.25", "1e-6"));
    assertWithMessage(src).that(src).contains("Activation.LEAKY_RELU, 0.1f)");
    assertWithMessage(src).that(src).contains(", 0.2f, 0.001f, Activation.IDENTITY, 0f)");
    assertWithMessage(src).that(src).contains("BN_SPATIAL, 0.001f, Activation.IDENTITY, 0f)");
    assertWithMessage(src).that(src).contains("batch * DROP_SIZE, 0.25f, dropoutState)");
    assertWithMessage(src).that(src).contains("LN_SIZE, 1.0E-6f, Activation.IDENTITY, 0f)");
    assertWithMessage(src).that(src).contains("batch * OUTPUT_SIZE, 1.0f)");
    assertWithMessage(src).that(src).doesNotContain("double");
  }

  @Test
  void floatLiteralsStillCompileIntoTheSameModel() throws IOException {
    String plain = generated(compileSettings("1.0", "0.1", "0.2", "1e-3", "0.25", "1e-6"));
    String floats = generated(compileSettings("1.0f", "0.1f", "0.2f", "1e-3f", "0.25f", "1e-6f"));
    assertEquals(plain, floats);
  }

  @Test
  void integerLiteralsWidenToo() throws IOException {
    String src = generated(compileSettings("2", "0.5", "1", "1", "0", "1"));
    assertWithMessage(src).that(src).contains("batch * OUTPUT_SIZE, 2.0f)");
    assertWithMessage(src).that(src).contains(", 1.0f, 1.0f, Activation.IDENTITY, 0f)");
    assertWithMessage(src).that(src).contains("batch * DROP_SIZE, 0.0f, dropoutState)");
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        rejection("@Dropout(1.0)", "@Dropout(1.0)",
            "[Annonet/DropoutRate] @Dropout(1.0) on 'd': p must be in [0, 1), e.g. @Dropout(0.1)"),
        rejection("@Dropout(-0.25)", "@Dropout(-0.25)",
            "[Annonet/DropoutRate] @Dropout(-0.25) on 'd': p must be in [0, 1), e.g."
                + " @Dropout(0.1)"),
        rejection("@Dropout(1.5f)", "@Dropout(1.5f)",
            "[Annonet/DropoutRate] @Dropout(1.5) on 'd': p must be in [0, 1), e.g. @Dropout(0.1)"),
        rejection("@Dropout(0.99999999)", "@Dropout(0.99999999)",
            "[Annonet/DropoutRate] @Dropout(0.99999999, which is 1.0 as a float) on 'd': p must"
                + " be in [0, 1), e.g. @Dropout(0.1)"),
        rejection("@Dense(3) @LeakyRelu(1.0)", "@LeakyRelu(1.0)",
            "[Annonet/LeakyReluAlpha] @LeakyRelu(1.0) on 'd': the slope must be in (0, 1), e.g."
                + " 0.01"),
        rejection("@Dense(3) @LeakyRelu(-0.1)", "@LeakyRelu(-0.1)",
            "[Annonet/LeakyReluAlpha] @LeakyRelu(-0.1) on 'd': the slope must be in (0, 1), e.g."
                + " 0.01"),
        rejection("@Dense(3) @LeakyRelu(1e-60)", "@LeakyRelu(1e-60)",
            "[Annonet/LeakyReluAlpha] @LeakyRelu(1.0E-60, which is 0.0 as a float) on 'd': the"
                + " slope must be in (0, 1), e.g. 0.01"),
        rejection("@BatchNorm(momentum = 1.5)", "momentum = 1.5",
            "[Annonet/NormSetting] @BatchNorm on 'd': momentum must be in (0, 1], got 1.5"),
        rejection("@LayerNorm(eps = 0.0)", "eps = 0.0",
            "[Annonet/NormSetting] @LayerNorm on 'd': eps must be positive, got 0.0"),
        rejection("@LayerNorm(eps = 1e-50)", "eps = 1e-50",
            "[Annonet/NormSetting] @LayerNorm on 'd': eps must be positive, got 1.0E-50, which"
                + " is 0.0 as a float"));
  }

  private static Arguments rejection(String layer, String line, String message) {
    return Arguments.of(layer, line, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void rejected(String layer, String line, String message) {
    expectError("@SquaredError", layer, line, message);
  }

  static Stream<Arguments> rejectedHuber() {
    return Stream.of(
        Arguments.of("@Huber(0.0)",
            "[Annonet/HuberDelta] @Huber(0.0): delta must be positive, e.g. @Huber(1.0)"),
        Arguments.of("@Huber(-0.5f)",
            "[Annonet/HuberDelta] @Huber(-0.5): delta must be positive, e.g. @Huber(1.0)"),
        Arguments.of("@Huber(1e300)",
            "[Annonet/HuberDelta] @Huber(1.0E300, which is Infinity as a float): delta must be"
                + " positive, e.g. @Huber(1.0)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void rejectedHuber(String loss, String message) {
    expectError(loss, "@Dense(3)", loss, message);
  }

  /** Expects exactly one error, {@code message} in full, on the line containing {@code line}. */
  private static void expectError(String loss, String layer, String line, String message) {
    JavaFileObject src =
        network(
            "Net",
            "@Network " + loss + "\nabstract class Net {\n"
                + "  @Input(4) Layer x;\n"
                + "  " + layer + " Layer d;\n"
                + "  @Dense(1) Layer y;\n}\n");
    Compilation c = compile(src);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining(message).inFile(src).onLineContaining(line);
    assertEquals(message, c.errors().get(0).getMessage(null));
  }

  private static String generated(Compilation c) throws IOException {
    JavaFileObject file =
        c.generatedSourceFile("test.NetModel").orElseThrow(() -> new AssertionError("no model"));
    return file.getCharContent(true).toString();
  }
}
