package dev.annonet.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.annonet.processor.Sources.compile;
import static dev.annonet.processor.Sources.network;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The shape diagnostics of convolutional and branching networks: exact text, with the shapes on
 * both sides and the trace of shapes that led there, on the line of the offending layer.
 */
class ShapeValidationTest {

  private static Compilation expectError(String body, String text, String line) {
    JavaFileObject src = network("Net", body);
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining(text).inFile(src).onLineContaining(line);
    return c;
  }

  @Test
  void kernelTooLarge() {
    Compilation c = expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input({1, 28, 28}) Layer image;
          @Conv2d(filters = 6, kernel = 5) @Relu Layer c1;
          @MaxPool(2) Layer p1;
          @Conv2d(filters = 16, kernel = 13) @Relu Layer c2;
          @Flatten Layer flat;
          @Dense(10) Layer out;
        }
        """,
        "[Annonet/KernelTooLarge] Conv2d 'c2' has a 13x13 window, larger than its input 6x12x12"
            + " (from 'p1'): use a window of at most 12, or pad the input",
        "Layer c2;");
    // The shape trace follows on the next line of the message.
    assertThat(c).hadErrorContaining("shapes: image 1x28x28 -> c1 6x24x24 -> p1 6x12x12 -> c2 ?");
  }

  @Test
  void strideMismatch() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input({1, 28, 28}) Layer image;
          @Conv2d(filters = 4, kernel = 5, stride = 2) Layer c1;
          @Flatten Layer flat;
          @Dense(10) Layer out;
        }
        """,
        "[Annonet/StrideMismatch] Conv2d 'c1' does not tile its input 1x28x28 (from 'image'):"
            + " (28 + 2*0 - 5) / 2 = 11.50 is not a whole number of steps; use stride 1, or a"
            + " height of 27 or 29",
        "Layer c1;");
  }

  @Test
  void strideMismatchOfPooling() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input({1, 7, 7}) Layer image;
          @MaxPool(2) Layer p1;
          @Flatten Layer flat;
          @Dense(10) Layer out;
        }
        """,
        "[Annonet/StrideMismatch] MaxPool 'p1' does not tile its input 1x7x7 (from 'image'):"
            + " (7 + 2*0 - 2) / 2 = 2.50 is not a whole number of steps; use stride 1, or a"
            + " height of 6 or 8",
        "Layer p1;");
  }

  @Test
  void imageNeeded() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input(64) Layer x;
          @Conv2d(filters = 4, kernel = 3) Layer c1;
          @Flatten Layer flat;
          @Dense(10) Layer out;
        }
        """,
        "[Annonet/ImageNeeded] Conv2d 'c1' follows 'x', whose output is the vector 64; Conv2d"
            + " takes an image [channels][height][width]",
        "Layer c1;");
  }

  @Test
  void samePadding() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input({1, 8, 8}) Layer image;
          @Conv2d(filters = 4, kernel = 4, padding = Conv2d.SAME) Layer c1;
          @Flatten Layer flat;
          @Dense(10) Layer out;
        }
        """,
        "[Annonet/SamePadding] Conv2d 'c1' asks for padding = SAME with the even kernel 4",
        "Layer c1;");
  }

  @Test
  void activationNotAllowedOnPooling() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input({1, 8, 8}) Layer image;
          @MaxPool(2) @Relu Layer p1;
          @Flatten Layer flat;
          @Dense(10) Layer out;
        }
        """,
        "[Annonet/ActivationNotAllowed] @Relu on @MaxPool 'p1'",
        "Layer p1;");
  }

  @Test
  void dropoutRate() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input(8) Layer x;
          @Dense(8) @Relu Layer h;
          @Dropout(1.0) Layer drop;
          @Dense(10) Layer out;
        }
        """,
        "[Annonet/DropoutRate] @Dropout(1.0) on 'drop': p must be in [0, 1), e.g. @Dropout(0.1)",
        "@Dropout(1.0)");
  }

  @Test
  void normSetting() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input(8) Layer x;
          @Dense(8) Layer h;
          @BatchNorm(momentum = 0) @Relu Layer bn;
          @Dense(10) Layer out;
        }
        """,
        "[Annonet/NormSetting] @BatchNorm on 'bn': momentum must be in (0, 1], got 0.0",
        "@BatchNorm(momentum = 0)");
  }

  @Test
  void unknownFieldSuggestsNearest() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input(8) Layer x;
          @Dense(8) @Relu Layer hidden1;
          @Dense(8) Layer hidden2;
          @Add(from = "hiden1") @Relu Layer sum;
          @Dense(10) Layer out;
        }
        """,
        "[Annonet/UnknownField] @Add 'sum' names 'hiden1', which is not a layer of Net: did you"
            + " mean 'hidden1'?",
        "@Add(from = \"hiden1\")");
  }

  @Test
  void mergeOfNothingElse() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input(8) Layer x;
          @Dense(8) @Relu Layer h;
          @Add(from = {}) Layer sum;
          @Dense(10) Layer out;
        }
        """,
        "[Annonet/EmptyMerge] @Add 'sum' names no layer: it takes the layer before it ('h') and"
            + " the layers it names, e.g. @Add(from = \"x\")",
        "@Add(from = {})");
  }

  @Test
  void mergeInputNamedTwice() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input(8) Layer x;
          @Dense(8) @Relu Layer a;
          @Dense(8) @Relu Layer b;
          @Concat(from = {"a", "a"}) Layer c;
          @Dense(10) Layer out;
        }
        """,
        "[Annonet/RepeatedMergeInput] @Concat 'c' names 'a' twice: name each layer once",
        "@Concat(from = {\"a\", \"a\"})");
  }

  @Test
  void forwardReference() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input(8) Layer x;
          @Dense(8) @Relu Layer h;
          @Add(from = "out") Layer sum;
          @Dense(10) Layer out;
        }
        """,
        "[Annonet/ForwardReference] @Add 'sum' names 'out', which is declared after it: a layer"
            + " can only use the outputs of layers declared before it",
        "@Add(from = \"out\")");
  }

  @Test
  void cycleThroughItself() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input(8) Layer x;
          @Dense(8) @Relu Layer h;
          @Concat(from = "c") Layer c;
          @Dense(10) Layer out;
        }
        """,
        "[Annonet/ForwardReference] @Concat 'c' names 'c', itself (a cycle)",
        "@Concat(from = \"c\")");
  }

  @Test
  void addShapeMismatch() {
    Compilation c = expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input(8) Layer x;
          @Dense(16) @Relu Layer a;
          @Dense(32) @Relu Layer b;
          @Add(from = "a") Layer sum;
          @Dense(10) Layer out;
        }
        """,
        "[Annonet/MergeShapeMismatch] @Add 'sum' adds outputs of the same shape, but 'b' outputs"
            + " 32 and 'a' outputs 16; make both the same shape, e.g. with a @Dense(32) on the"
            + " branch",
        "@Add(from = \"a\")");
    assertThat(c).hadErrorContaining("shapes: x 8 -> a 16 -> b 32 -> sum ?");
  }

  @Test
  void concatShapeMismatch() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input({1, 8, 8}) Layer image;
          @Conv2d(filters = 4, kernel = 3) Layer c1;
          @Concat(from = "image") Layer both;
          @Flatten Layer flat;
          @Dense(10) Layer out;
        }
        """,
        "[Annonet/MergeShapeMismatch] @Concat 'both' joins images of the same height and width,"
            + " but 'c1' outputs 4x6x6 and 'image' outputs 1x8x8; pool or pad one branch to match",
        "@Concat(from = \"image\")");
  }

  @Test
  void lossOnImageOutput() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input({1, 8, 8}) Layer image;
          @Conv2d(filters = 4, kernel = 3) Layer c1;
        }
        """,
        "[Annonet/LossOutputMismatch] the loss @SquaredError compares vectors, but the output"
            + " layer 'c1' has the image shape 4x6x6: add @Flatten and a @Dense output layer after"
            + " 'c1'",
        "Layer c1;");
  }

  @Test
  void outputTooLarge() {
    Compilation c = expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input({64, 2048, 2048}) Layer image;
          @Conv2d(filters = 1024, kernel = 1) Layer c1;
          @Flatten Layer flat;
          @Dense(1) Layer out;
        }
        """,
        "[Annonet/TooLarge] Conv2d 'c1' outputs 1024x2048x2048 = 4294967296 values per sample,"
            + " more than a Java array holds (2147483639): make 'c1' smaller (fewer filters, less"
            + " padding or a larger stride)",
        "Layer c1;");
    assertThat(c).hadErrorContaining("shapes: image 64x2048x2048 -> c1 ?");
  }

  @Test
  void inputTooLarge() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input({3, 40000, 40000}) Layer image;
          @Conv2d(filters = 4, kernel = 3) Layer c1;
          @Flatten Layer flat;
          @Dense(1) Layer out;
        }
        """,
        "[Annonet/TooLarge] Input 'image' outputs 3x40000x40000 = 4800000000 values per sample,"
            + " more than a Java array holds (2147483639): make 'image' smaller (a smaller input)",
        "Layer image;");
  }

  @Test
  void denseOutputTooLargeIsOneError() {
    // Its parameters do not fit either: the output is the one error.
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(4) Layer x;
          @Dense(2147483647) Layer h;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/TooLarge] Dense 'h' outputs 2147483647 values per sample, more"
            + " than a Java array holds (2147483639): make 'h' smaller (fewer units)",
        "Layer h;");
  }

  @Test
  void concatTooLarge() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(1200000000) Layer x;
          @Concat(from = "x") Layer both;
          @Dense(1) Layer y;
        }
        """,
        "[Annonet/TooLarge] Concat 'both' outputs 2400000000 values per sample, more than"
            + " a Java array holds (2147483639): make 'both' smaller (fewer or smaller"
            + " branches)",
        "Layer both;");
  }

  @Test
  void unfoldTooLarge() {
    // 256 channels x 3 x 3 x 1024 x 1024 = 2415919104 values: too many for the work buffer,
    // though the output 1x1024x1024 is small.
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input({256, 1024, 1024}) Layer image;
          @Conv2d(filters = 1, kernel = 3, padding = 1) Layer c1;
          @Flatten Layer flat;
          @Dense(1) Layer out;
        }
        """,
        "[Annonet/TooLarge] Conv2d 'c1' unfolds 2415919104 values per sample (256 input channels"
            + " x 3x3 kernel x 1024x1024 output), more than a Java array holds (2147483639): make"
            + " 'c1' smaller (fewer input channels, a smaller kernel or a larger stride)",
        "Layer c1;");
  }

  @Test
  void pointwiseConvolutionOfALargeImageNeedsNoUnfolding() {
    Compilation c =
        compile(
            network(
                "Net",
                """
                @Network @SquaredError
                abstract class Net {
                  @Input({256, 1024, 1024}) Layer image;
                  @Conv2d(filters = 1, kernel = 1) Layer c1;
                  @MaxPool(1024) Layer p;
                  @Flatten Layer flat;
                  @Dense(1) Layer out;
                }
                """));
    assertThat(c).succeeded();
  }

  @Test
  void everyErrorOfALeNetInOnePassWithoutCascades() {
    JavaFileObject src =
        network(
            "Net",
            """
            @Network @BinaryCrossEntropy
            abstract class Net {
              @Input({1, 28, 28}) Layer image;
              @Conv2d(filters = 6, kernel = 5) @Relu Layer c1;
              @MaxPool(5) Layer p1;
              @Conv2d(filters = 16, kernel = 5) @Relu Layer c2;
              @MaxPool(2) Layer p2;
              @Dense(120) @Relu Layer f1;
              @Add(from = "f2") Layer r;
              @Dense(10) Layer out;
            }
            """);
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("[Annonet/StrideMismatch] MaxPool 'p1'").inFile(src)
        .onLineContaining("Layer p1;");
    assertThat(c).hadErrorContaining("[Annonet/UnknownField] @Add 'r' names 'f2'").inFile(src)
        .onLineContaining("Layer r;");
    assertThat(c).hadErrorContaining("[Annonet/LossOutputMismatch] @BinaryCrossEntropy")
        .inFile(src).onLineContaining("Layer out;");
    assertThat(c).hadErrorCount(3);
  }
}
