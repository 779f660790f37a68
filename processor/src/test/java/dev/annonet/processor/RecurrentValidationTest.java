package dev.annonet.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.annonet.processor.Sources.compile;
import static dev.annonet.processor.SequenceValidationTest.expectError;
import static dev.annonet.processor.Sources.network;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.annonet.kernels.Gru;
import dev.annonet.kernels.Lstm;
import dev.annonet.processor.layers.RecurrentNode;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The diagnostics of {@code @Lstm} and {@code @Gru}: each mistake once, on the layer's line, with
 * both shapes and the fix; and the shapes and counts of valid recurrent networks.
 */
class RecurrentValidationTest {

  @Test
  void tokensNeedEmbeddingBeforeAnLstm() {
    Compilation c = expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @TokenInput(length = 16, vocabulary = 30) Layer ids;
          @Lstm(hidden = 32) Layer rnn;
          @Dense(30) Layer out;
        }
        """,
        "[Annonet/TokensNeedEmbedding] Lstm 'rnn' follows 'ids', whose output is tokens 16 (vocab"
            + " 30), token ids rather than values; Lstm takes real values: add @Embedding(dim)"
            + " before 'rnn'",
        "Layer rnn;");
    assertThat(c).hadErrorContaining("shapes: ids tokens 16 (vocab 30) -> rnn ?");
  }

  @Test
  void sequenceNeededByAnLstm() {
    Compilation c = expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input(16) Layer x;
          @Dense(8) Layer h;
          @Lstm(hidden = 4, lastStep = true) Layer rnn;
          @Dense(3) Layer out;
        }
        """,
        "[Annonet/SequenceNeeded] Lstm 'rnn' follows 'h', whose output is 8; Lstm takes a"
            + " sequence [steps][features]: declare @SequenceInput(length = ..., features = ...),"
            + " or @TokenInput and @Embedding, or remove 'rnn'",
        "Layer rnn;");
    assertThat(c).hadErrorContaining("shapes: x 16 -> h 8 -> rnn ?");
  }

  @Test
  void sequenceNeededByAGruFedAnImage() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @Input({1, 8, 8}) Layer x;
          @Gru(hidden = 4, lastStep = true) Layer rnn;
          @Dense(3) Layer out;
        }
        """,
        "[Annonet/SequenceNeeded] Gru 'rnn' follows 'x', whose output is 1x8x8; Gru takes a"
            + " sequence [steps][features]",
        "Layer rnn;");
  }

  @Test
  void nonPositiveHiddenSize() {
    JavaFileObject src = network("Net",
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @TokenInput(length = 16, vocabulary = 30) Layer ids;
          @Embedding(8) Layer emb;
          @Lstm(hidden = 0)
          Layer rnn;
          @Dense(30) Layer out;
        }
        """);
    Compilation c = compile(src);
    assertThat(c).hadErrorCount(1);
    // On the annotation's line, not the field's.
    assertThat(c).hadErrorContaining("").inFile(src).onLineContaining("@Lstm(hidden = 0)");
    assertEquals("[Annonet/NonPositiveSize] @Lstm hidden of 'rnn' has size 0: sizes must be"
        + " positive, e.g. hidden = 128", c.errors().get(0).getMessage(null));
  }

  @Test
  void recurrentActivation() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @SequenceInput(length = 10, features = 3) Layer x;
          @Gru(hidden = 6) @Tanh Layer rnn;
          @Dense(2) Layer out;
        }
        """,
        "[Annonet/RecurrentActivation] @Tanh on @Gru 'rnn': a recurrent layer applies its own"
            + " nonlinearities (sigmoid gates and n = tanh(...)), and PyTorch's nn.GRU takes no"
            + " activation; remove @Tanh, or put it on a layer after 'rnn'",
        "Layer rnn;");
  }

  @Test
  void tooManyParametersCountsAllFourTensors() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @SequenceInput(length = 2, features = 1) Layer x;
          @Lstm(hidden = 30000, lastStep = true) Layer rnn;
          @Dense(1) Layer out;
        }
        """,
        "[Annonet/TooLarge] Lstm 'rnn' has " + 4L * 30000 * (1 + 30000 + 2)
            + " parameters, more than a Java array holds (2147483639): make 'rnn' smaller"
            + " (fewer hidden units, or a smaller input)",
        "Layer rnn;");
  }

  @Test
  void workTooLargeForAnArray() {
    // The output, 1,000 values, fits; what the layer saves of 200,000 steps does not.
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @SequenceInput(length = 200000, features = 1) Layer x;
          @Gru(hidden = 1000, lastStep = true) Layer rnn;
          @Dense(1) Layer out;
        }
        """,
        "[Annonet/TooLarge] Gru 'rnn' outputs its gates and states of 200000 steps = "
            + (200000L * (2 + 11 * 1000) + 5 * 1000) + " values per sample, more than a Java"
            + " array holds (2147483639): make 'rnn' smaller (fewer hidden units, or a shorter"
            + " sequence)",
        "Layer rnn;");
  }

  @Test
  void lastStepGivesAVectorForAVectorLoss() {
    // Without lastStep the LSTM outputs a sequence, which @BinaryCrossEntropy refuses.
    expectError(
        """
        @Network @BinaryCrossEntropy
        abstract class Net {
          @SequenceInput(length = 10, features = 3) Layer x;
          @Lstm(hidden = 6) Layer rnn;
          @Dense(1) Layer out;
        }
        """,
        "[Annonet/SequenceLoss] @BinaryCrossEntropy takes one logit per sample, but the output"
            + " layer 'out' has the sequence seq 10x1",
        "Layer out;");
    JavaFileObject ok = network("Net",
        """
        @Network @BinaryCrossEntropy
        abstract class Net {
          @SequenceInput(length = 10, features = 3) Layer x;
          @Lstm(hidden = 6, lastStep = true) Layer rnn;
          @Dense(1) Layer out;
        }
        """);
    Compilation c = compile(ok);
    assertThat(c).succeededWithoutWarnings();
    // LSTM: 4 * 6 * (3 + 6 + 2) parameters, 10 steps of 4 * 6 * (3 + 6) multiply-adds.
    assertThat(c).hadNoteContaining(
        "rnn          Lstm                            6          264          2,160");
  }

  /**
   * The processor sizes the work buffer and names the tensors without the runtime: they must be
   * what the kernels say.
   */
  @Test
  void workSizeAndNamesAgreeWithTheKernels() {
    int[][] cases = {{1, 1, 1}, {12, 6, 10}, {32, 65, 256}, {7, 3, 5}};
    for (int[] k : cases) {
      for (int batch : new int[] {1, 2, 5}) {
        assertWithMessage("LSTM T I H = %s %s %s, batch %s", k[0], k[1], k[2], batch)
            .that((long) Lstm.workSize(batch, k[0], k[1], k[2]))
            .isEqualTo(batch * RecurrentNode.workPerSample(Lstm.GATES, k[0], k[1], k[2]));
        assertWithMessage("GRU T I H = %s %s %s, batch %s", k[0], k[1], k[2], batch)
            .that((long) Gru.workSize(batch, k[0], k[1], k[2]))
            .isEqualTo(batch * RecurrentNode.workPerSample(Gru.GATES, k[0], k[1], k[2]));
      }
    }
    assertEquals(Lstm.PARAMETER_NAMES, RecurrentNode.PARAMETER_NAMES);
    assertEquals(Gru.PARAMETER_NAMES, RecurrentNode.PARAMETER_NAMES);
  }
}
