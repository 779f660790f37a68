package dev.annonet.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.annonet.processor.Sources.compile;
import static dev.annonet.processor.Sources.network;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Valid networks: they compile without warnings, print a summary and generate the model. */
class GeneratedSourceTest {
  private static final String DIGITS =
      """
      @Network
      @SoftmaxCrossEntropy
      abstract class Digits {
        @Input(64)          Layer pixels;
        @Dense(128) @Relu   Layer hidden;
        @Dense(10)          Layer logits;
      }
      """;

  @Test
  void mlpMatchesGolden() throws IOException {
    Compilation c = compile(network("Digits", DIGITS));
    assertThat(c).succeededWithoutWarnings();
    assertMatchesGolden(c, "test.DigitsModel", "GeneratedSourceTest/mlpMatchesGolden/test.DigitsModel.java");
  }

  @Test
  void onlyNetworksOfIndependentSamplesCutTheirBatchesIntoSlices() throws IOException {
    assertWithMessage("Digits").that(generated(compile(network("Digits", DIGITS)),
        "test.DigitsModel")).contains("slices = new BatchSlices(params, grads, MULTIPLY_ADDS,");
    String dropout = """
        @Network
        @SoftmaxCrossEntropy
        abstract class Dropped {
          @Input(5) Layer x;
          @Dense(8) @Relu Layer h;
          @Dropout(0.3) Layer drop;
          @Dense(3) Layer logits;
        }
        """;
    String batchNorm = """
        @Network
        @SoftmaxCrossEntropy
        abstract class Normed {
          @Input(4) Layer x;
          @Dense(6) Layer h;
          @BatchNorm @Relu Layer bn;
          @Dense(3) Layer logits;
        }
        """;
    // One random stream per model, and statistics of the whole batch: neither is a sum over
    // independent slices.
    assertWithMessage("dropout").that(generated(compile(network("Dropped", dropout)),
        "test.DroppedModel")).doesNotContain("BatchSlices");
    assertWithMessage("batch norm").that(generated(compile(network("Normed", batchNorm)),
        "test.NormedModel")).doesNotContain("BatchSlices");
  }

  private static final String SMALL_CNN =
      """
      @Network
      @SoftmaxCrossEntropy
      abstract class SmallCnn {
        @Input({1, 8, 8})                     Layer image;
        @Conv2d(filters = 4, kernel = 3) @Relu Layer c1;
        @MaxPool(2)                           Layer p1;
        @Flatten                              Layer flat;
        @Dense(10)                            Layer logits;
      }
      """;

  @Test
  void denseAndConvolutionalNetworksRunASlicedBatchWholeOnOneThread() throws IOException {
    // Dense and convolution layers keep each slice's parameter gradient apart from a
    // whole-batch pass; a layer kind that cannot (here attention) leaves the network's slices
    // to their replicas.
    assertWithMessage("Digits").that(generated(compile(network("Digits", DIGITS)),
        "test.DigitsModel")).contains(
            "new BatchSlices(params, grads, MULTIPLY_ADDS, DigitsModel::new,"
                + " this::lossAndGradientBySlice);");
    String cnn = generated(compile(network("SmallCnn", SMALL_CNN)), "test.SmallCnnModel");
    assertWithMessage(cnn).that(cnn).contains(
        "new BatchSlices(params, grads, MULTIPLY_ADDS, SmallCnnModel::new,"
            + " this::lossAndGradientBySlice);");
    assertWithMessage(cnn).that(cnn).contains("Conv2d.backwardParams(dC1, x,"
        + " slices.sliceStart(s), slices.sliceGradients(s), C1_W, C1_B, slices.sliceRows(s),");
    String gpt = generated(compile(network("TinyGpt", TINY_GPT)), "test.TinyGptModel");
    assertWithMessage(gpt).that(gpt).contains(
        "new BatchSlices(params, grads, MULTIPLY_ADDS, TinyGptModel::new, null);");
    assertWithMessage(gpt).that(gpt).doesNotContain("lossAndGradientBySlice");
  }

  private static final String RESIDUAL_CNN =
      """
      @Network
      @SoftmaxCrossEntropy
      abstract class ResCnn {
        @Input({1, 6, 6})                                                    Layer image;
        @Conv2d(filters = 2, kernel = 3, padding = Conv2d.SAME) @Relu       Layer c1;
        @Conv2d(filters = 2, kernel = 3, padding = Conv2d.SAME)             Layer c2;
        @Add(from = "c1") @Tanh                                              Layer r;
        @Flatten                                                             Layer flat;
        @Dense(3)                                                            Layer logits;
      }
      """;

  @Test
  void leadingConvolutionsAndPoolingsRunAsImagePasses() throws IOException {
    String cnn = generated(compile(network("SmallCnn", SMALL_CNN)), "test.SmallCnnModel");
    assertWithMessage(cnn).that(cnn).contains(
        "ImageChain.run(imagesForward, x, batch, IMAGE_MULTIPLY_ADDS);");
    assertWithMessage(cnn).that(cnn).contains(
        "Conv2d.forward(x, params, C1_W, C1_B, c1Out, from, to, C1_IN_C,");
    assertWithMessage(cnn).that(cnn).contains(
        "Pool.maxForward(c1Out, p1Out, p1Argmax, from, to, P1_C,");
    assertWithMessage(cnn).that(cnn).contains(
        "Pool.maxBackward(dP1, p1Argmax, c1Out, dC1, from, to, P1_C,");
    assertWithMessage(cnn).that(cnn).contains(
        "Conv2d.weightPartials(dC1, x, from, to, batch, c1Partials, C1_IN_C,");
    // Split: the sums after the pass; whole on one thread: inside it, while in cache.
    assertWithMessage(cnn).that(cnn).contains(
        "if (ImageChain.run(imagesBackward, x, batch, 2 * IMAGE_MULTIPLY_ADDS)) {\n"
            + "      Conv2d.reducePartials(c1Partials, grads, C1_W, C1_B, batch,");
    assertWithMessage(cnn).that(cnn).contains(
        "    if (to - from == batch) {\n"
            + "      // The whole batch on this thread: the sums now, while they are in cache.\n"
            + "      Conv2d.reducePartials(c1Partials, grads, C1_W, C1_B, batch,");
    // 4 x 6 x 6 x 9 multiply-adds per image.
    assertWithMessage(cnn).that(cnn).contains("IMAGE_MULTIPLY_ADDS = 1296L;");
    // c1 is read by c2 and by the sum: the pass ends at c1, whose gradient the sum and c2 have
    // both written before it runs.
    String res = generated(compile(network("ResCnn", RESIDUAL_CNN)), "test.ResCnnModel");
    assertWithMessage(res).that(res).contains(
        "Conv2d.weightPartials(dC1, x, from, to, batch, c1Partials,");
    assertWithMessage(res).that(res).doesNotContain("c2Partials");
    assertWithMessage(res).that(res).contains("Conv2d.forward(c1Out, params, C2_W, C2_B, c2Out,"
        + " batch,");
    String digits = generated(compile(network("Digits", DIGITS)), "test.DigitsModel");
    assertWithMessage(digits).that(digits).doesNotContain("ImageChain");
  }

  private static final String TINY_LM =
      """
      @Network
      @SoftmaxCrossEntropy
      abstract class TinyLm {
        @TokenInput(length = 16, vocabulary = 65) Layer ids;
        @Embedding(32)                            Layer emb;
        @PositionalEmbedding                      Layer pos;
        @Dense(64) @Relu                          Layer h;
        @Dense(32)                                Layer proj;
        @Add(from = "pos")                        Layer res;
        @LayerNorm                                Layer ln;
        @Dense(65)                                Layer logits;
      }
      """;

  @Test
  void tokenModelMatchesGolden() throws IOException {
    Compilation c = compile(network("TinyLm", TINY_LM));
    assertThat(c).succeededWithoutWarnings();
    assertMatchesGolden(c, "test.TinyLmModel", "GeneratedSourceTest/tokenModelMatchesGolden/test.TinyLmModel.java");
  }

  private static final String TINY_LSTM =
      """
      @Network
      @SoftmaxCrossEntropy
      abstract class TinyLstm {
        @TokenInput(length = 12, vocabulary = 20) Layer ids;
        @Embedding(8)                             Layer emb;
        @Dense(6) @Tanh                           Layer proj;
        @Lstm(hidden = 10)                        Layer rnn;
        @Dense(20)                                Layer logits;
      }
      """;

  @Test
  void lstmModelMatchesGolden() throws IOException {
    Compilation c = compile(network("TinyLstm", TINY_LSTM));
    assertThat(c).succeededWithoutWarnings();
    assertMatchesGolden(c, "test.TinyLstmModel", "GeneratedSourceTest/lstmModelMatchesGolden/test.TinyLstmModel.java");
  }

  @Test
  void recurrentLayersCallTheirKernelsOverWholeSequences() throws IOException {
    String src = generated(compile(network("TinyLstm", TINY_LSTM)), "test.TinyLstmModel");
    assertWithMessage(src).that(src).contains(
        "Lstm.forward(projOut, params, RNN_W, rnnOut, true, rnnWork, batch, RNN_STEPS, RNN_IN,"
            + " RNN_HIDDEN);");
    // The input's @Tanh is differentiated after the kernel wrote its gradient.
    assertWithMessage(src).that(src).contains(
        "Activation.TANH.multiplyByDerivative(dProj, 0, projOut, 0, batch * RNN_STEPS * RNN_IN,"
            + " 0f);");
    // One work buffer per layer: T (2 I + 11 H) + 6 H floats per sequence.
    assertWithMessage(src).that(src).contains("rnnWork = new float[batch * "
        + (12 * (2 * 6 + 11 * 10) + 6 * 10) + "];");
    assertWithMessage(src).that(src).contains(
        "new LayerInfo.Tensor(\"weight_hh_l0\", RNN_W + 240, new int[] {40, 10})");

    String gru = generated(compile(network("Cls",
        """
        @Network
        @SoftmaxCrossEntropy
        abstract class Cls {
          @SequenceInput(length = 7, features = 3) Layer x;
          @Gru(hidden = 5, lastStep = true)        Layer rnn;
          @Dense(2)                                Layer out;
        }
        """)), "test.ClsModel");
    assertWithMessage(gru).that(gru).contains(
        "Gru.forward(x, params, RNN_W, rnnOut, false, rnnWork, batch, RNN_STEPS, RNN_IN,"
            + " RNN_HIDDEN);");
    // The data's gradient is not needed.
    assertWithMessage(gru).that(gru).contains(
        "Gru.backward(dRnn, false, params, RNN_W, grads, null, rnnWork, batch, RNN_STEPS, RNN_IN,"
            + " RNN_HIDDEN);");
    assertWithMessage(gru).that(gru).contains("rnnWork = new float[batch * "
        + (7 * (2 * 3 + 11 * 5) + 5 * 5) + "];");
    assertWithMessage(gru).that(gru).contains("static final int PARAMETER_COUNT = "
        + (15 * (3 + 5 + 2) + 2 * 5 + 2) + ";");
  }

  private static final String TINY_GPT =
      """
      @Network
      @SoftmaxCrossEntropy
      abstract class TinyGpt {
        @TokenInput(length = 8, vocabulary = 20) Layer ids;
        @Embedding(16)                           Layer emb;
        @PositionalEmbedding                     Layer pos;
        @LayerNorm                               Layer ln1;
        @CausalSelfAttention(heads = 2)          Layer attn;
        @Add(from = "pos")                       Layer res1;
        @LayerNorm                               Layer ln2;
        @Dense(64) @Gelu                         Layer up;
        @Dense(16)                               Layer down;
        @Add(from = "res1")                      Layer res2;
        @LayerNorm                               Layer lnf;
        @Dense(20)                               Layer logits;
      }
      """;

  @Test
  void gptBlockMatchesGolden() throws IOException {
    Compilation c = compile(network("TinyGpt", TINY_GPT));
    assertThat(c).succeededWithoutWarnings();
    assertMatchesGolden(c, "test.TinyGptModel", "GeneratedSourceTest/gptBlockMatchesGolden/test.TinyGptModel.java");
  }

  @Test
  void attentionCallsItsKernelWithConstantSizesAndOneWorkBuffer() throws IOException {
    String src = generated(compile(network("TinyGpt", TINY_GPT)), "test.TinyGptModel");
    assertWithMessage(src).that(src).contains("static final int ATTN_HEADS = 2;");
    // in_proj_weight [48][16] after emb (320), pos (128), ln1 (32): 480; then 48, 256 and 16.
    assertWithMessage(src).that(src).contains("static final int ATTN_IN_W = 480;");
    assertWithMessage(src).that(src).contains("static final int ATTN_IN_B = 1248;");
    assertWithMessage(src).that(src).contains("static final int ATTN_OUT_W = 1296;");
    assertWithMessage(src).that(src).contains("static final int ATTN_OUT_B = 1552;");
    assertWithMessage(src).that(src).contains(
        "Attention.forward(ln1Out, params, ATTN_IN_W, ATTN_IN_B, ATTN_OUT_W, ATTN_OUT_B, attnOut,"
            + " attnWork, batch, ATTN_STEPS, ATTN_DIM, ATTN_HEADS, Activation.IDENTITY, 0f);");
    // Attention.workSize(1, 8, 16, 2) = 8 * 8 * 16 + 2 * 8 * 9.
    assertWithMessage(src).that(src).contains("attnWork = new float[batch * 1168];");
    assertWithMessage(src).that(src).contains(
        "new LayerInfo.Tensor(\"out_proj.weight\", ATTN_W + 816, new int[] {16, 16})");
  }

  @Test
  void perPositionLayersRunOnBatchTimesSteps() throws IOException {
    String src = generated(compile(network("TinyLm", TINY_LM)), "test.TinyLmModel");
    assertWithMessage(src).that(src).contains("static final int H_STEPS = 16;");
    assertWithMessage(src).that(src).contains(
        "Dense.forward(posOut, params, H_W, H_B, hOut, batch * H_STEPS, H_IN, H_OUT,"
            + " Activation.RELU, 0f);");
    assertWithMessage(src).that(src).contains(
        "LayerNorm.forward(resOut, params, LN_W, LN_B, lnOut, lnXhat, lnInvStd, batch * LN_STEPS,"
            + " LN_SIZE, 1.0E-5f, Activation.IDENTITY, 0f);");
    assertWithMessage(src).that(src).contains(
        "Losses.sequenceCrossEntropy(logitsOut, y, d, from, batch, OUTPUT_STEPS,"
            + " OUTPUT_FEATURES)");
    assertWithMessage(src).that(src).contains(
        "Losses.softmaxInPlace(out, batch * OUTPUT_STEPS, OUTPUT_FEATURES);");
    assertWithMessage(src).that(src).contains("public int steps() {");
    assertWithMessage(src).that(src).contains("public int vocabulary() {");
    // The embedding's weight has no bias: -1 and 0 in its LayerInfo.
    assertWithMessage(src).that(src).contains(
        "new LayerInfo(\"emb\", \"Embedding\", \"\", new int[] {16, 32}, EMB_W,"
            + " new int[] {65, 32}, -1, 0)");
  }

  @Test
  void sequenceHeadsReduceToVectors() throws IOException {
    String src = generated(compile(network("Heads",
        """
        @Network
        @SquaredError
        abstract class Heads {
          @SequenceInput(length = 10, features = 3) Layer x;
          @Dense(8) @Tanh                           Layer h;
          @MeanOverSteps                            Layer mean;
          @Dense(2)                                 Layer y;
        }
        """)), "test.HeadsModel");
    assertWithMessage(src).that(src).contains(
        "MeanOverSteps.forward(hOut, meanOut, batch, MEAN_STEPS, MEAN_FEATURES);");
    assertWithMessage(src).that(src).contains(
        "MeanOverSteps.backward(dMean, hOut, dH, batch, MEAN_STEPS, MEAN_FEATURES,"
            + " Activation.TANH, 0f);");
    assertWithMessage(src).that(src).contains("public static final int INPUT_SIZE = 30;");
    assertWithMessage(src).that(src).doesNotContain("public int steps()");
  }

  @Test
  void summaryNote() {
    Compilation c = compile(network("Digits", DIGITS));
    assertThat(c).hadNoteContaining(
        "[Annonet] Digits: 64 -> 10, 9,610 parameters, 9,472 multiply-adds per sample,"
            + " loss @SoftmaxCrossEntropy");
    assertThat(c).hadNoteContaining("hidden       Dense @Relu");
    assertThat(c).hadNoteContaining("8,320");
  }

  @Test
  void constantsAndFusedKernelCalls() throws IOException {
    String src = generated(compile(network("Digits", DIGITS)), "test.DigitsModel");
    assertWithMessage(src).that(src).contains("static final int HIDDEN_OUT = 128;");
    assertWithMessage(src).that(src).contains("static final int LOGITS_W = 8320;");
    assertWithMessage(src).that(src).contains("Activation.RELU, 0f);");
    // The ReLU derivative is fused into the product that computes dHidden.
    assertWithMessage(src)
        .that(src)
        .contains(
            "Dense.backwardInput(dLogits, params, LOGITS_W, hiddenOut, dHidden, batch, LOGITS_IN,"
                + " LOGITS_OUT, Activation.RELU, 0f);");
    // The first layer's input gradient is never computed.
    assertWithMessage(src).that(src).doesNotContain("dPixels");
  }

  /**
   * GELU's derivative needs its input: the layer keeps its pre-activation, its readers fuse no
   * derivative, and its own backward applies GELU' at the kept input first.
   */
  @Test
  void geluKeepsItsPreActivation() throws IOException {
    Compilation c =
        compile(
            network(
                "Net",
                """
                @Network @SquaredError
                abstract class Net {
                  @Input(5)                                 Layer x;
                  @Dense(8) @Gelu                           Layer h;
                  @Dense(6) @Gelu(approximate = "tanh")     Layer g;
                  @Dense(1)                                 Layer y;
                }
                """));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).hadNoteContaining("h            Dense @Gelu");
    String src = generated(c, "test.NetModel");
    assertWithMessage(src).that(src).contains("private float[] hPre = new float[0];");
    assertWithMessage(src).that(src).contains(
        "Dense.forward(x, params, H_W, H_B, hOut, batch, H_IN, H_OUT, Activation.IDENTITY, 0f);");
    assertWithMessage(src).that(src).contains(
        "Activation.GELU.applyInPlaceKeepingInput(hOut, 0, hPre, 0, batch * 8, 0f);");
    assertWithMessage(src).that(src).contains(
        "Activation.GELU_TANH.applyInPlaceKeepingInput(gOut, 0, gPre, 0, batch * 6, 0f);");
    assertWithMessage(src).that(src).contains(
        "Dense.backwardInput(dG, params, G_W, hOut, dH, batch, G_IN, G_OUT, Activation.IDENTITY,"
            + " 0f);");
    assertWithMessage(src).that(src).contains(
        "Activation.GELU.multiplyByDerivativeAt(dH, 0, hPre, 0, batch * 8, 0f);");
    assertWithMessage(src).that(src).contains(
        "Activation.GELU_TANH.multiplyByDerivativeAt(dG, 0, gPre, 0, batch * 6, 0f);");
  }

  @Test
  void residualLossCallsUserPhi() throws IOException {
    Compilation c =
        compile(
            network(
                "Robust",
                """
                @Network
                @ResidualLoss
                abstract class Robust {
                  @Input(13)           Layer x;
                  @Dense(64) @Tanh     Layer h;
                  @Dense(1)            Layer y;

                  @Phi static float phi(float r) {
                    return Math.abs(r) <= 1 ? 0.5f * r * r : Math.abs(r) - 0.5f;
                  }
                  @PhiDerivative static float dphi(float r) {
                    return Math.abs(r) <= 1 ? r : Math.signum(r);
                  }
                }
                """));
    assertThat(c).succeededWithoutWarnings();
    String src = generated(c, "test.RobustModel");
    assertWithMessage(src).that(src).contains("sum += Robust.phi(r);");
    assertWithMessage(src).that(src).contains("d[k] = -scale * Robust.dphi(r);");
  }

  private static final String ROBUST_DERIVED =
      """
      @Network
      @ResidualLoss
      abstract class Robust {
        @Input(3) Layer x;
        @Dense(1) Layer y;

        @Phi static float phi(float r) {
          return Math.abs(r) <= 1 ? 0.5f * r * r : Math.abs(r) - 0.5f;
        }
      }
      """;

  /** DESIGN.md's Huber phi without its @PhiDerivative: the model derives dphi from phi. */
  @Test
  void derivedPhiMatchesGolden() throws IOException {
    Compilation c = compile(network("Robust", ROBUST_DERIVED));
    assertThat(c).succeededWithoutWarnings();
    assertMatchesGolden(c, "test.RobustModel", "GeneratedSourceTest/derivedPhiMatchesGolden/test.RobustModel.java");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "@SquaredError", "@HalfSquaredError", "@AbsoluteError", "@Huber(0.5)",
        "@BinaryCrossEntropy"
      })
  void everyLossCompilesWithoutWarnings(String loss) {
    Compilation c =
        compile(
            network(
                "Net",
                "@Network " + loss + "\nabstract class Net {\n"
                    + "  @Input(5) Layer x;\n"
                    + "  @Dense(4) @LeakyRelu(0.1) Layer h;\n"
                    + "  @Dense(3) @Sigmoid Layer g;\n"
                    + "  @Dense(1) Layer y;\n}\n"));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("test.NetModel");
  }

  @Test
  void softmaxOutputAndFlattenCompile() throws IOException {
    Compilation c =
        compile(
            network(
                "Net",
                """
                @Network @SquaredError
                abstract class Net {
                  @Input({2, 3, 3}) Layer image;
                  @Flatten Layer flat;
                  @Dense(4) @Tanh Layer h;
                  @Dense(3) @Softmax Layer y;
                }
                """));
    assertThat(c).succeededWithoutWarnings();
    String src = generated(c, "test.NetModel");
    assertWithMessage(src).that(src).contains("static final int H_IN = 18;");
    assertWithMessage(src).that(src).contains("Losses.softmaxBackwardInPlace(dY, yOut, batch");
  }

  @Test
  void twoNetworksInOneCompilationAreIndependent() {
    Compilation c =
        compile(
            network("Digits", DIGITS),
            network(
                "Bad",
                """
                @Network @SquaredError
                abstract class Bad {
                  @Input(4) Layer x;
                  @Dense(0) Layer y;
                }
                """));
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadNoteContaining("[Annonet] Digits: 64 -> 10");
  }

  private static String generated(Compilation c, String name) throws IOException {
    JavaFileObject file =
        c.generatedSourceFile(name).orElseThrow(() -> new AssertionError("no " + name));
    return file.getCharContent(true).toString();
  }

  /**
   * Asserts that the generated source {@code name} is equivalent to the golden file {@code path}
   * under {@code src/test/resources/goldens}. Run with {@code -Dannonet.goldens.update=true} to
   * write the current output there first (then review the diff before committing it).
   */
  private static void assertMatchesGolden(Compilation c, String name, String path)
      throws IOException {
    JavaFileObject expected;
    if (Boolean.getBoolean("annonet.goldens.update")) {
      Path file = Path.of("src/test/resources/goldens", path);
      Files.createDirectories(file.getParent());
      String source = generated(c, name);
      Files.writeString(file, source);
      expected = JavaFileObjects.forSourceString(name, source);
    } else {
      expected = golden(path);
    }
    assertThat(c).generatedSourceFile(name).hasSourceEquivalentTo(expected);
  }

  /**
   * A golden file from {@code src/test/resources/goldens}. When it is missing the test fails with
   * the path to write; {@link #assertMatchesGolden} can write it.
   */
  private static JavaFileObject golden(String path) throws IOException {
    try (InputStream in = GeneratedSourceTest.class.getResourceAsStream("/goldens/" + path)) {
      if (in == null) {
        throw new AssertionError(
            "missing golden processor/src/test/resources/goldens/" + path
                + ": run the test with -Dannonet.goldens.update=true to write it, then review it");
      }
      String name = path.substring(path.lastIndexOf('/') + 1).replace(".java", "");
      return JavaFileObjects.forSourceString(
          name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
