package dev.annonet.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.annonet.processor.Sources.compile;
import static dev.annonet.processor.Sources.network;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One test per diagnostic: the exact text, and the line it lands on. Each network has exactly
 * one mistake and must get exactly one error (no cascades).
 */
class NetworkValidationTest {

  /** Compiles {@code body}; expects one error containing {@code text} on the {@code line}. */
  private static void expectError(String body, String text, String line) {
    JavaFileObject src = network("Net", body);
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining(text).inFile(src).onLineContaining(line);
  }

  @Test
  void notAClass() {
    expectError(
        """
        @Network @SquaredError
        interface Net {}
        """,
        "[Annonet/NotAClass] @Network goes on a class, but Net is interface: declare an abstract"
            + " class",
        "@Network");
  }

  @Test
  void notAbstract() {
    expectError(
        """
        @Network @SquaredError
        class Net {
          @Input(2) Layer x;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/NotAbstract] @Network class Net is not abstract: it only declares the network,"
            + " the generated NetModel is the model; make it abstract (abstract class Net)",
        "@Network");
  }

  @Test
  void privateNetwork() {
    expectError(
        """
        class Net {
          @Network @SquaredError
          private abstract static class Inner {
            @Input(2) Layer x;
            @Dense(1) Layer y;
          }
        }
        """,
        "[Annonet/PrivateNetwork] @Network class Inner is private: the generated InnerModel must"
            + " see it; make it package-private",
        "@Network");
  }

  @Test
  void noLayers() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(4) Layer x;
        }
        """,
        "[Annonet/NoLayers] Net has no layer with parameters",
        "@Network");
  }

  @Test
  void noInput() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Dense(4) Layer h;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/NoInput] the first layer 'h' is @Dense, but a network starts with its input:"
            + " annotate the first layer field @Input(size)",
        "Layer h;");
  }

  @Test
  void inputNotFirst() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(4) Layer x;
          @Dense(3) Layer h;
          @Input(2) Layer x2;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/InputNotFirst] 'x2' is a second @Input (the input is 'x')",
        "Layer x2;");
  }

  @Test
  void twoLayerAnnotations() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(4) Layer x;
          @Dense(3) @Flatten Layer h;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/TwoLayerAnnotations] 'h' has two layer annotations, @Dense and @Flatten: one"
            + " field is one layer; declare a field for each",
        "Layer h;");
  }

  @Test
  void twoActivations() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(4) Layer x;
          @Dense(3) @Relu @Tanh Layer h;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/TwoActivations] 'h' has two activations, @Relu and @Tanh: keep one, or add a"
            + " layer for the other",
        "Layer h;");
  }

  @Test
  void notALayerField() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(4) Layer x;
          @Dense(3) float[] h;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/NotALayerField] 'h' is annotated @Dense but its type is float[]: layer fields"
            + " are declared as 'Layer h;'",
        "float[] h;");
  }

  @Test
  void missingLayerAnnotation() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(4) Layer x;
          Layer h;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/MissingLayerAnnotation] field 'h' is a Layer without a layer annotation: add"
            + " one, such as @Dense(units)",
        "Layer h;");
  }

  @Test
  void staticLayer() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(4) Layer x;
          @Dense(3) static Layer h;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/StaticLayer] layer field 'h' is static",
        "static Layer h;");
  }

  @Test
  void activationOnInput() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(4) @Relu Layer x;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/ActivationOnInput] @Relu on the input 'x' would change the data, not a layer:"
            + " move it to a layer",
        "Layer x;");
  }

  @Test
  void activationNotAllowed() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input({1, 2, 2}) Layer x;
          @Flatten @Tanh Layer f;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/ActivationNotAllowed] @Tanh on @Flatten 'f'",
        "Layer f;");
  }

  @Test
  void nonPositiveSize() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(4) Layer x;
          @Dense(0) Layer h;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/NonPositiveSize] @Dense 'h' has size 0: sizes must be positive, e.g."
            + " @Dense(10)",
        "@Dense(0)");
  }

  static Stream<Arguments> nonPositiveSizeSuggestsTheAnnotationAsWritten() {
    return Stream.of(
        Arguments.of("@MaxPool(0)",
            "@MaxPool 'p' has size 0: sizes must be positive, e.g. @MaxPool(2)"),
        Arguments.of("@AvgPool(-1)",
            "@AvgPool 'p' has size -1: sizes must be positive, e.g. @AvgPool(2)"),
        Arguments.of("@MaxPool(value = 2, stride = -1)",
            "@MaxPool stride of 'p' has size -1: sizes must be positive, e.g. stride = 2"),
        Arguments.of("@Conv2d(filters = 0, kernel = 3)",
            "@Conv2d filters of 'p' has size 0: sizes must be positive, e.g. filters = 6"),
        Arguments.of("@Conv2d(filters = 2, kernel = 0)",
            "@Conv2d kernel of 'p' has size 0: sizes must be positive, e.g. kernel = 5"),
        Arguments.of("@Conv2d(filters = 2, kernel = 3, stride = 0)",
            "@Conv2d stride of 'p' has size 0: sizes must be positive, e.g. stride = 1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void nonPositiveSizeSuggestsTheAnnotationAsWritten(String layer, String message) {
    JavaFileObject src =
        network(
            "Net",
            "@Network @SquaredError\nabstract class Net {\n"
                + "  @Input({1, 4, 4}) Layer image;\n"
                + "  " + layer + " Layer p;\n"
                + "  @Flatten Layer flat;\n"
                + "  @Dense(1) Layer y;\n}\n");
    Compilation c = compile(src);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining(message).inFile(src).onLine(6);
    assertEquals("[Annonet/NonPositiveSize] " + message, c.errors().get(0).getMessage(null));
  }

  @Test
  void nonPositiveInputSize() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(-3) Layer x;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/NonPositiveSize] @Input 'x' has size -3",
        "@Input(-3)");
  }

  @Test
  void inputShape() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input({28, 28}) Layer x;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/InputShape] @Input 'x' has 2 dimensions: give one size for a vector,"
            + " @Input(64), or three for an image, @Input({channels, height, width})",
        "@Input({28, 28})");
  }

  @Test
  void flattenNeeded() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input({1, 28, 28}) Layer image;
          @Dense(120) @Relu Layer f1;
          @Dense(10) Layer out;
        }
        """,
        "[Annonet/FlattenNeeded] Dense 'f1' follows 'image', whose output is 1x28x28; Dense takes"
            + " a vector: add @Flatten before 'f1'",
        "Layer f1;");
    JavaFileObject src =
        network(
            "Net",
            """
            @Network @SoftmaxCrossEntropy
            abstract class Net {
              @Input({1, 28, 28}) Layer image;
              @Dense(120) @Relu Layer f1;
              @Dense(10) Layer out;
            }
            """);
    assertThat(compile(src)).hadErrorContaining("shapes: image 1x28x28");
  }

  @Test
  void flattenOfVector() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(4) Layer x;
          @Flatten Layer f;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/FlattenOfVector] @Flatten 'f' follows 'x', whose output is already the vector"
            + " 4: remove @Flatten",
        "Layer f;");
  }

  @Test
  void leakyReluAlpha() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(4) Layer x;
          @Dense(3) @LeakyRelu(1.5) Layer h;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/LeakyReluAlpha] @LeakyRelu(1.5) on 'h': the slope must be in (0, 1), e.g. 0.01",
        "@LeakyRelu(1.5)");
  }

  @Test
  void geluApproximate() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(4) Layer x;
          @Dense(3) @Gelu(approximate = "erf") Layer h;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/GeluApproximate] @Gelu(approximate = \"erf\") on 'h': approximate is \"none\""
            + " (the exact erf form, the default) or \"tanh\", as in PyTorch's nn.GELU",
        "@Gelu(approximate = \"erf\")");
  }

  @Test
  void softmaxNotLast() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(4) Layer x;
          @Dense(3) @Softmax Layer h;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/SoftmaxNotLast] @Softmax on 'h', which is not the output layer",
        "Layer h;");
  }

  @Test
  void noLoss() {
    expectError(
        """
        @Network
        abstract class Net {
          @Input(4) Layer x;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/NoLoss] Net has no loss: annotate the class with one of @SquaredError,",
        "@Network");
  }

  @Test
  void twoLosses() {
    expectError(
        """
        @Network
        @SquaredError
        @AbsoluteError
        abstract class Net {
          @Input(4) Layer x;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/TwoLosses] Net has two losses, @SquaredError and @AbsoluteError: keep one",
        "@AbsoluteError");
  }

  @Test
  void lossOutputMismatchSoftmaxOnOneUnit() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input(4) Layer x;
          @Dense(1) Layer out;
        }
        """,
        "[Annonet/LossOutputMismatch] @SoftmaxCrossEntropy needs one output per class, but the"
            + " output layer 'out' has 1 unit: softmax over one class is always 1",
        "Layer out;");
  }

  @Test
  void lossOutputMismatchBinaryOnManyUnits() {
    expectError(
        """
        @Network @BinaryCrossEntropy
        abstract class Net {
          @Input(4) Layer x;
          @Dense(3) Layer out;
        }
        """,
        "[Annonet/LossOutputMismatch] @BinaryCrossEntropy takes one logit, but the output layer"
            + " 'out' has 3 units: use @Dense(1) here, or @SoftmaxCrossEntropy for 3 classes",
        "Layer out;");
  }

  @Test
  void outputActivation() {
    expectError(
        """
        @Network @BinaryCrossEntropy
        abstract class Net {
          @Input(4) Layer x;
          @Dense(1) @Sigmoid Layer out;
        }
        """,
        "[Annonet/OutputActivation] @BinaryCrossEntropy already applies the sigmoid to the"
            + " output: remove @Sigmoid from 'out' (its outputs are logits)",
        "Layer out;");
  }

  @Test
  void huberDelta() {
    expectError(
        """
        @Network @Huber(-1.0)
        abstract class Net {
          @Input(4) Layer x;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/HuberDelta] @Huber(-1.0): delta must be positive, e.g. @Huber(1.0)",
        "@Huber(-1.0)");
  }

  @Test
  void missingPhi() {
    expectError(
        """
        @Network @ResidualLoss
        abstract class Net {
          @Input(4) Layer x;
          @Dense(1) Layer y;
          @PhiDerivative static float dphi(float r) { return r; }
        }
        """,
        "[Annonet/MissingPhi] @ResidualLoss needs a @Phi method: add '@Phi static float"
            + " phi(float r) { ... }' to Net",
        "@Network @ResidualLoss");
  }

  @Test
  void twoPhi() {
    expectError(
        """
        @Network @ResidualLoss
        abstract class Net {
          @Input(4) Layer x;
          @Dense(1) Layer y;
          @Phi static float phi(float r) { return r * r; }
          @Phi static float phi2(float r) { return r * r; }
          @PhiDerivative static float dphi(float r) { return 2 * r; }
        }
        """,
        "[Annonet/TwoPhi] Net has two @Phi methods, phi and phi2: keep one",
        "phi2(float r)");
  }

  @Test
  void phiSignature() {
    expectError(
        """
        @Network @ResidualLoss
        abstract class Net {
          @Input(4) Layer x;
          @Dense(1) Layer y;
          @Phi float phi(double r) { return (float) (r * r); }
          @PhiDerivative static float dphi(float r) { return 2 * r; }
        }
        """,
        "[Annonet/PhiSignature] @Phi method phi must be declared 'static float phi(float r)'"
            + " (non-private), but it is 'float phi(double r)'",
        "float phi(double r)");
  }

  @Test
  void phiWithoutResidualLoss() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(4) Layer x;
          @Dense(1) Layer y;
          @Phi static float phi(float r) { return r * r; }
        }
        """,
        "[Annonet/PhiWithoutResidualLoss] @Phi method phi is only used by @ResidualLoss, but"
            + " Net's loss is @SquaredError",
        "static float phi");
  }

  @Test
  void tooManyParametersInOneLayer() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(100000) Layer x;
          @Dense(100000) Layer h;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/TooLarge] Dense 'h' has 10000100000 parameters, more than a Java array holds"
            + " (2147483639): make 'h' smaller (fewer units, or a smaller input)",
        "Layer h;");
  }

  @Test
  void tooManyParametersOnTheLayerThatTipsTheNetworkOver() {
    // f1 has (50000 + 1) * 30000 = 1500030000 parameters, within one array; f2 adds
    // (30000 + 1) * 30000 = 900030000, and the total 2400060000 is not.
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(50000) Layer x;
          @Dense(30000) @Relu Layer f1;
          @Dense(30000) @Relu Layer f2;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/TooLarge] Dense 'f2' brings the network to 2400060000 parameters (900030000 of"
            + " them its own), more than a Java array holds (2147483639): make 'f2' smaller"
            + " (fewer units, or a smaller input), or the layers before it",
        "Layer f2;");
  }

  @Test
  void allErrorsOfOneNetworkInOnePass() {
    JavaFileObject src =
        network(
            "Net",
            """
            @Network @BinaryCrossEntropy
            abstract class Net {
              @Input(4) Layer x;
              @Dense(0) Layer h;
              @Dense(3) @LeakyRelu(2.0) Layer g;
              @Dense(2) Layer out;
            }
            """);
    Compilation c = compile(src);
    assertThat(c).hadErrorCount(3);
    assertThat(c).hadErrorContaining("[Annonet/NonPositiveSize]").inFile(src).onLine(6);
    assertThat(c).hadErrorContaining("[Annonet/LeakyReluAlpha]").inFile(src).onLine(7);
    assertThat(c).hadErrorContaining("[Annonet/LossOutputMismatch]").inFile(src).onLine(8);
  }
}
