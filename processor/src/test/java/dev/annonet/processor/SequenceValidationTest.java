package dev.annonet.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.annonet.processor.Sources.compile;
import static dev.annonet.processor.Sources.network;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The diagnostics of sequence networks ({@code @TokenInput}, {@code @SequenceInput} and the
 * layers around them): exact text with both shapes and the fix, on the offending line, and the
 * summary's sequence shapes.
 */
class SequenceValidationTest {

  static Compilation expectError(String body, String text, String line) {
    JavaFileObject src = network("Net", body);
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining(text).inFile(src).onLineContaining(line);
    return c;
  }

  @Test
  void sequenceInputSetting() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @TokenInput(length = 16, vocabulary = 0) Layer ids;
          @Embedding(8) Layer emb;
          @Dense(4) Layer out;
        }
        """,
        "[Annonet/SequenceInputSetting] @TokenInput 'ids' has vocabulary = 0: vocabulary must be"
            + " positive, e.g. @TokenInput(length = 64, vocabulary = 65)",
        "Layer ids;");
  }

  @Test
  void sequenceInputSettingOfRealSequences() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @SequenceInput(length = -2, features = 3) Layer x;
          @Dense(4) Layer out;
        }
        """,
        "[Annonet/SequenceInputSetting] @SequenceInput 'x' has length = -2: length must be"
            + " positive, e.g. @SequenceInput(length = 32, features = 8)",
        "Layer x;");
  }

  @Test
  void embeddingNeedsTokens() {
    Compilation c = expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input(16) Layer x;
          @Embedding(8) Layer emb;
          @MeanOverSteps Layer mean;
          @Dense(4) Layer out;
        }
        """,
        "[Annonet/EmbeddingNeedsTokens] Embedding 'emb' follows 'x', whose output is 16;"
            + " Embedding takes token ids: declare the input @TokenInput(length = ...,"
            + " vocabulary = ...) and put 'emb' right after it",
        "Layer emb;");
    assertThat(c).hadErrorContaining("shapes: x 16 -> emb ?");
  }

  @Test
  void tokensNeedEmbedding() {
    Compilation c = expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @TokenInput(length = 64, vocabulary = 65) Layer ids;
          @Dense(32) @Relu Layer h;
          @Dense(65) Layer logits;
        }
        """,
        "[Annonet/TokensNeedEmbedding] Dense 'h' follows 'ids', whose output is tokens 64"
            + " (vocab 65), token ids rather than values; Dense takes real values: add"
            + " @Embedding(dim) before 'h'",
        "Layer h;");
    assertThat(c).hadErrorContaining("shapes: ids tokens 64 (vocab 65) -> h ?");
  }

  @Test
  void sequenceNotAcceptedByConv2d() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @SequenceInput(length = 8, features = 4) Layer x;
          @Conv2d(filters = 2, kernel = 3) Layer c;
          @Flatten Layer flat;
          @Dense(1) Layer out;
        }
        """,
        "[Annonet/SequenceNotAccepted] Conv2d 'c' follows 'x', whose output is the sequence seq"
            + " 8x4; Conv2d takes an image [channels][height][width]: turn it into a vector with"
            + " @LastStep or @MeanOverSteps, or declare an image @Input({channels, height,"
            + " width})",
        "Layer c;");
  }

  @Test
  void sequenceNotAcceptedByFlatten() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @SequenceInput(length = 8, features = 4) Layer x;
          @Dense(3) Layer h;
          @Flatten Layer flat;
          @Dense(1) Layer out;
        }
        """,
        "[Annonet/SequenceNotAccepted] Flatten 'flat' follows 'h', whose output is the sequence"
            + " seq 8x3; Flatten takes an image: turn the sequence into a vector with @LastStep"
            + " or @MeanOverSteps instead",
        "Layer flat;");
  }

  @Test
  void sequenceNotAcceptedByBatchNorm() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @SequenceInput(length = 8, features = 4) Layer x;
          @Dense(3) Layer h;
          @BatchNorm Layer bn;
          @Dense(1) Layer out;
        }
        """,
        "[Annonet/SequenceNotAccepted] BatchNorm 'bn' follows 'h', whose output is the sequence"
            + " seq 8x3; BatchNorm takes a vector or an image: use @LayerNorm, which normalises"
            + " each position's values",
        "Layer bn;");
  }

  @Test
  void sequenceNotAcceptedByPooling() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @SequenceInput(length = 8, features = 4) Layer x;
          @MaxPool(2) Layer p;
          @Dense(1) Layer out;
        }
        """,
        "[Annonet/SequenceNotAccepted] MaxPool 'p' follows 'x', whose output is the sequence seq"
            + " 8x4; MaxPool takes an image [channels][height][width]",
        "Layer p;");
  }

  @Test
  void sequenceNotAcceptedByConcat() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @SequenceInput(length = 8, features = 4) Layer x;
          @Dense(3) Layer a;
          @Dense(3) Layer b;
          @Concat(from = "a") Layer both;
          @Dense(1) Layer out;
        }
        """,
        "[Annonet/SequenceNotAccepted] Concat 'both' follows 'b', whose output is the sequence"
            + " seq 8x3; Concat takes vectors or images: reduce it to a vector with @LastStep or"
            + " @MeanOverSteps, or @Add sequences of the same shape",
        "Layer both;");
  }

  @Test
  void sequenceNeededByLastStep() {
    Compilation c = expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input(16) Layer x;
          @Dense(8) Layer h;
          @LastStep Layer last;
          @Dense(4) Layer out;
        }
        """,
        "[Annonet/SequenceNeeded] LastStep 'last' follows 'h', whose output is 8; LastStep takes"
            + " a sequence [steps][features]: declare @SequenceInput(length = ..., features ="
            + " ...), or @TokenInput and @Embedding, or remove 'last'",
        "Layer last;");
    assertThat(c).hadErrorContaining("shapes: x 16 -> h 8 -> last ?");
  }

  @Test
  void sequenceNeededByPositionalEmbedding() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input(16) Layer x;
          @PositionalEmbedding Layer pos;
          @Dense(4) Layer out;
        }
        """,
        "[Annonet/SequenceNeeded] PositionalEmbedding 'pos' follows 'x', whose output is 16;"
            + " PositionalEmbedding takes a sequence [steps][features]",
        "Layer pos;");
  }

  @Test
  void tokensNeedEmbeddingBeforeAHead() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @TokenInput(length = 10, vocabulary = 20) Layer ids;
          @MeanOverSteps Layer mean;
          @Dense(4) Layer out;
        }
        """,
        "[Annonet/TokensNeedEmbedding] MeanOverSteps 'mean' follows 'ids', whose output is"
            + " tokens 10 (vocab 20), token ids rather than values; MeanOverSteps takes real"
            + " values: add @Embedding(dim) before 'mean'",
        "Layer mean;");
  }

  @Test
  void sequenceLoss() {
    expectError(
        """
        @Network @BinaryCrossEntropy
        abstract class Net {
          @SequenceInput(length = 8, features = 4) Layer x;
          @Dense(1) Layer out;
        }
        """,
        "[Annonet/SequenceLoss] @BinaryCrossEntropy takes one logit per sample, but the output"
            + " layer 'out' has the sequence seq 8x1: add @LastStep or @MeanOverSteps, then a"
            + " @Dense output layer, after 'out' (@Dense(1)), or use @SoftmaxCrossEntropy for a"
            + " class at every position",
        "Layer out;");
  }

  @Test
  void sequenceLossOfOneClassPerPosition() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @TokenInput(length = 8, vocabulary = 30) Layer ids;
          @Embedding(16) Layer emb;
          @Dense(1) Layer out;
        }
        """,
        "[Annonet/SequenceLoss] @SoftmaxCrossEntropy at every position needs one output per"
            + " class, but the output layer 'out' has the sequence seq 8x1: give 'out' one unit"
            + " per class at each position, e.g. @Dense(10), or use a regression loss",
        "Layer out;");
  }

  @Test
  void activationNotAllowedOnEmbedding() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @TokenInput(length = 8, vocabulary = 30) Layer ids;
          @Embedding(16) @Relu Layer emb;
          @Dense(30) Layer out;
        }
        """,
        "[Annonet/ActivationNotAllowed] @Relu on @Embedding 'emb'",
        "Layer emb;");
  }

  @Test
  void summaryShowsSequenceShapes() {
    JavaFileObject src = network("Lm",
        """
        @Network @SoftmaxCrossEntropy
        abstract class Lm {
          @TokenInput(length = 64, vocabulary = 65) Layer ids;
          @Embedding(128) Layer emb;
          @PositionalEmbedding Layer pos;
          @Dense(128) @Relu Layer h;
          @LayerNorm Layer ln;
          @Dense(65) Layer logits;
        }
        """);
    Compilation c = compile(src);
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).hadNoteContaining(
        "[Annonet] Lm: tokens 64 (vocab 65) -> seq 64x65, 41,665 parameters, 1,581,056"
            + " multiply-adds per sample, loss @SoftmaxCrossEntropy");
    // The output column widens to the longest shape, tokens 64 (vocab 65).
    assertThat(c).hadNoteContaining(
        "  ids          TokenInput             tokens 64 (vocab 65)            0              0");
    assertThat(c).hadNoteContaining(
        "  emb          Embedding" + " ".repeat(24) + "seq 64x128        8,320");
  }
}
