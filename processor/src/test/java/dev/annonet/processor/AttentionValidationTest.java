package dev.annonet.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.annonet.processor.Sources.compile;
import static dev.annonet.processor.Sources.network;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The diagnostics of {@code @CausalSelfAttention}: exact text with the shapes and the fix, on
 * the offending line, one error each; and a GPT block that compiles, with its summary.
 */
class AttentionValidationTest {

  private static Compilation expectError(String body, String text, String line) {
    return SequenceValidationTest.expectError(body, text, line);
  }

  @Test
  void headsNotDividing() {
    Compilation c = expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @TokenInput(length = 16, vocabulary = 30) Layer ids;
          @Embedding(64) Layer emb;
          @CausalSelfAttention(heads = 5) Layer attn;
          @Dense(30) Layer out;
        }
        """,
        "[Annonet/HeadsNotDividing] CausalSelfAttention 'attn' has 5 heads, which do not divide"
            + " the width 64 of its input seq 16x64 (from 'emb'): each head attends with d /"
            + " heads values; use heads = 4 or heads = 8, or a width that 5 divides",
        "Layer attn;");
    assertThat(c).hadErrorContaining("shapes: ids tokens 16 (vocab 30) -> emb seq 16x64 -> attn ?");
  }

  @Test
  void headsNotDividingSuggestsOnlyCountsUpToTheWidth() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @SequenceInput(length = 4, features = 6) Layer x;
          @CausalSelfAttention(heads = 7) Layer attn;
          @Dense(2) Layer out;
        }
        """,
        "use heads = 6, or a width that 7 divides",
        "Layer attn;");
  }

  @Test
  void nonPositiveHeads() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @SequenceInput(length = 4, features = 8) Layer x;
          @CausalSelfAttention(heads = 0) Layer attn;
          @Dense(2) Layer out;
        }
        """,
        "[Annonet/NonPositiveSize] @CausalSelfAttention heads of 'attn' has size 0: sizes must be"
            + " positive, e.g. heads = 4",
        "Layer attn;");
  }

  @Test
  void tokensNeedEmbedding() {
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @TokenInput(length = 8, vocabulary = 30) Layer ids;
          @CausalSelfAttention(heads = 2) Layer attn;
          @Embedding(8) Layer emb;
          @Dense(30) Layer out;
        }
        """,
        "[Annonet/TokensNeedEmbedding] CausalSelfAttention 'attn' follows 'ids', whose output is"
            + " tokens 8 (vocab 30), token ids rather than values; CausalSelfAttention takes real"
            + " values: add @Embedding(dim) before 'attn'",
        "Layer attn;");
  }

  @Test
  void sequenceNeeded() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input(16) Layer x;
          @CausalSelfAttention(heads = 2) Layer attn;
          @Dense(2) Layer out;
        }
        """,
        "[Annonet/SequenceNeeded] CausalSelfAttention 'attn' follows 'x', whose output is 16;"
            + " CausalSelfAttention takes a sequence [steps][features]: declare"
            + " @SequenceInput(length = ..., features = ...), or @TokenInput and @Embedding, or"
            + " remove 'attn'",
        "Layer attn;");
  }

  @Test
  void sequenceNeededAfterAnImage() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @Input({1, 4, 4}) Layer x;
          @CausalSelfAttention(heads = 2) Layer attn;
          @Flatten Layer flat;
          @Dense(2) Layer out;
        }
        """,
        "[Annonet/SequenceNeeded] CausalSelfAttention 'attn' follows 'x', whose output is"
            + " 1x4x4; CausalSelfAttention takes a sequence [steps][features]",
        "Layer attn;");
  }

  @Test
  void activationOnAttention() {
    expectError(
        """
        @Network @SquaredError
        abstract class Net {
          @SequenceInput(length = 4, features = 8) Layer x;
          @CausalSelfAttention(heads = 2) @Relu Layer attn;
          @Dense(2) Layer out;
        }
        """,
        "[Annonet/ActivationOnAttention] @Relu on @CausalSelfAttention 'attn': attention ends in"
            + " its output projection without an activation, as PyTorch's nn.MultiheadAttention"
            + " does; remove @Relu, or put it on a @Dense after 'attn'",
        "Layer attn;");
  }

  @Test
  void workTooLarge() {
    // 8 T d + heads T (T + 1) = 10,240,000 + 8 x 20,000 x 20,001 floats per sample.
    expectError(
        """
        @Network @SoftmaxCrossEntropy
        abstract class Net {
          @TokenInput(length = 20000, vocabulary = 4) Layer ids;
          @Embedding(64) Layer emb;
          @CausalSelfAttention(heads = 8) Layer attn;
          @Dense(4) Layer out;
        }
        """,
        "[Annonet/TooLarge] CausalSelfAttention 'attn' outputs seq 20000x64 and keeps a work"
            + " buffer of 8Td + heads T(T+1) = 3210400000 values per sample, more than a Java"
            + " array holds (2147483639): make 'attn' smaller (a shorter sequence or fewer heads)",
        "Layer attn;");
  }

  @Test
  void gptBlockCompilesWithItsSummary() throws IOException {
    JavaFileObject src = network("Gpt",
        """
        @Network @SoftmaxCrossEntropy
        abstract class Gpt {
          @TokenInput(length = 16, vocabulary = 30) Layer ids;
          @Embedding(32) Layer emb;
          @PositionalEmbedding Layer pos;
          @LayerNorm Layer ln1;
          @CausalSelfAttention(heads = 4) Layer attn;
          @Add(from = "pos") Layer res1;
          @LayerNorm Layer ln2;
          @Dense(128) @Gelu Layer up;
          @Dense(32) Layer down;
          @Add(from = "res1") Layer res2;
          @LayerNorm Layer lnf;
          @Dense(30) Layer logits;
        }
        """);
    Compilation c = compile(src);
    assertThat(c).succeededWithoutWarnings();
    // 4 * 32^2 + 4 * 32 = 4,224 parameters; 4 T d^2 + d T (T + 1) = 65,536 + 8,704 multiply-adds.
    assertThat(c).hadNoteContaining(
        "  attn         CausalSelfAttention               seq 16x32        4,224         74,240");
  }
}
