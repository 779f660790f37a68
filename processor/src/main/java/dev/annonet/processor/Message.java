package dev.annonet.processor;

/**
 * Every diagnostic the processor reports: a stable tag (printed as {@code [Annonet/Tag]}) and a
 * format that says what is wrong and how to fix it. Each constant has a compilation test.
 */
public enum Message {
  NOT_A_CLASS("NotAClass", "@Network goes on a class, but %s is %s: declare an abstract class"),
  NOT_ABSTRACT(
      "NotAbstract",
      "@Network class %s is not abstract: it only declares the network, the generated %s is the"
          + " model; make it abstract (abstract class %s)"),
  PRIVATE_NETWORK(
      "PrivateNetwork",
      "@Network class %s is private: the generated %s must see it; make it package-private"),
  NO_LAYERS(
      "NoLayers",
      "%s has no layer with parameters: declare 'Layer' fields in order, the first"
          + " annotated @Input(size), then layers such as @Dense(units)"),
  NO_INPUT(
      "NoInput",
      "the first layer '%s' is %s, but a network starts with its input: annotate the first"
          + " layer field @Input(size)"),
  INPUT_NOT_FIRST(
      "InputNotFirst",
      "'%s' is a second @Input (the input is '%s'): a network has one input, its first field"),
  TWO_LAYER_ANNOTATIONS(
      "TwoLayerAnnotations",
      "'%s' has two layer annotations, %s and %s: one field is one layer; declare a field for"
          + " each"),
  TWO_ACTIVATIONS(
      "TwoActivations",
      "'%s' has two activations, %s and %s: keep one, or add a layer for the other"),
  NOT_A_LAYER_FIELD(
      "NotALayerField",
      "'%s' is annotated %s but its type is %s: layer fields are declared as 'Layer %s;'"),
  MISSING_LAYER_ANNOTATION(
      "MissingLayerAnnotation",
      "field '%s' is a Layer without a layer annotation: add one, such as @Dense(units)"),
  STATIC_LAYER(
      "StaticLayer", "layer field '%s' is static: layers are instance fields; remove 'static'"),
  ACTIVATION_ON_INPUT(
      "ActivationOnInput",
      "%s on the input '%s' would change the data, not a layer: move it to a layer"),
  ACTIVATION_NOT_ALLOWED(
      "ActivationNotAllowed",
      "%s on @%s '%s': this layer computes no new values; put the activation on the layer"
          + " before it"),
  DROPOUT_RATE("DropoutRate", "@Dropout(%s) on '%s': p must be in [0, 1), e.g. @Dropout(0.1)"),
  NORM_SETTING("NormSetting", "@%s on '%s': %s must be %s, got %s"),
  SAME_PADDING(
      "SamePadding",
      "Conv2d '%s' asks for padding = SAME with %s: SAME keeps the size only with stride 1 and an"
          + " odd kernel; give the padding as a number"),
  IMAGE_NEEDED(
      "ImageNeeded",
      "%s '%s' follows '%s', whose output is the vector %s; %s takes an image"
          + " [channels][height][width]: declare @Input({channels, height, width}) or move '%s'"
          + " before the @Flatten%n  shapes: %s"),
  KERNEL_TOO_LARGE(
      "KernelTooLarge",
      "%s '%s' has a %dx%d window, larger than its %s %s (from '%s'): use a window of at"
          + " most %d, or pad the input%n  shapes: %s"),
  STRIDE_MISMATCH(
      "StrideMismatch",
      "%s '%s' does not tile its input %s (from '%s'): (%d + 2*%d - %d) / %d = %s is not a whole"
          + " number of steps; %s%n  shapes: %s"),
  UNKNOWN_FIELD("UnknownField", "@%s '%s' names '%s', which is not a layer of %s%s"),
  EMPTY_MERGE(
      "EmptyMerge",
      "@%s '%s' names no layer: it takes the layer before it ('%s') and the layers it names, e.g."
          + " @%s(from = \"%s\")"),
  REPEATED_MERGE_INPUT(
      "RepeatedMergeInput",
      "@%s '%s' names '%s' twice: name each layer once"),
  FORWARD_REFERENCE(
      "ForwardReference",
      "@%s '%s' names '%s', %s: a layer can only use the outputs of layers declared before it"),
  MERGE_SHAPE_MISMATCH(
      "MergeShapeMismatch",
      "@%s '%s' %s, but '%s' outputs %s and '%s' outputs %s; %s%n  shapes: %s"),
  NON_POSITIVE_SIZE(
      "NonPositiveSize", "%s '%s' has size %d: sizes must be positive, e.g. %s"),
  INPUT_SHAPE(
      "InputShape",
      "@Input '%s' has %d dimensions: give one size for a vector, @Input(64), or three for an"
          + " image, @Input({channels, height, width})"),
  FLATTEN_NEEDED(
      "FlattenNeeded",
      "Dense '%s' follows '%s', whose output is %s; Dense takes a vector: add @Flatten before"
          + " '%s'%n  shapes: %s"),
  FLATTEN_OF_VECTOR(
      "FlattenOfVector",
      "@Flatten '%s' follows '%s', whose output is already the vector %s: remove @Flatten"),
  LEAKY_RELU_ALPHA(
      "LeakyReluAlpha", "@LeakyRelu(%s) on '%s': the slope must be in (0, 1), e.g. 0.01"),
  GELU_APPROXIMATE(
      "GeluApproximate",
      "@Gelu(approximate = \"%s\") on '%s': approximate is \"none\" (the exact erf form, the"
          + " default) or \"tanh\", as in PyTorch's nn.GELU"),
  SOFTMAX_NOT_LAST(
      "SoftmaxNotLast",
      "@Softmax on '%s', which is not the output layer: softmax only makes sense on the last"
          + " layer; use @Relu or @Tanh here"),
  NO_LOSS(
      "NoLoss",
      "%s has no loss: annotate the class with one of @SquaredError, @HalfSquaredError,"
          + " @AbsoluteError, @Huber, @BinaryCrossEntropy, @SoftmaxCrossEntropy, @ResidualLoss"),
  TWO_LOSSES("TwoLosses", "%s has two losses, %s and %s: keep one"),
  LOSS_OUTPUT_MISMATCH("LossOutputMismatch", "%s, but the output layer '%s' has %s: %s"),
  OUTPUT_ACTIVATION(
      "OutputActivation",
      "%s already applies %s to the output: remove %s from '%s' (its outputs are logits)"),
  HUBER_DELTA("HuberDelta", "@Huber(%s): delta must be positive, e.g. @Huber(1.0)"),
  MISSING_PHI(
      "MissingPhi",
      "@ResidualLoss needs %s: add '@%s static float %s(float r) { ... }' to %s"),
  TWO_PHI("TwoPhi", "%s has two @%s methods, %s and %s: keep one"),
  PHI_SIGNATURE(
      "PhiSignature",
      "@%s method %s must be declared 'static float %s(float r)' (non-private), but it is '%s'"),
  PHI_WITHOUT_RESIDUAL_LOSS(
      "PhiWithoutResidualLoss",
      "@%s method %s is only used by @ResidualLoss, but %s's loss is %s: remove it or use"
          + " @ResidualLoss"),
  PHI_NOT_DERIVABLE(
      "PhiNotDerivable",
      "Annonet cannot derive @Phi method %s: %s is outside the Java it differentiates"
          + " (arithmetic, final locals, if/else and ?:, Math functions, constants, static helpers;"
          + " see the README); write the derivative by hand as '@PhiDerivative static float"
          + " dphi(float r) { ... }'"),
  PHI_NEEDS_JAVAC(
      "PhiNeedsJavac",
      "Annonet derives the derivative of @Phi method %s from its source, which this compiler"
          + " (%s) does not give to annotation processors: write it by hand as '@PhiDerivative"
          + " static float dphi(float r) { ... }', or compile with javac"),
  TOO_MANY_PARAMETERS(
      "TooLarge",
      "%s '%s' %s, more than a Java array holds (%d): make '%s' smaller (%s)%s"),
  OUTPUT_TOO_LARGE(
      "TooLarge",
      "%s '%s' outputs %s values per sample, more than a Java array holds (%d): make '%s' smaller"
          + " (%s)%n  shapes: %s"),
  UNFOLD_TOO_LARGE(
      "TooLarge",
      "Conv2d '%s' unfolds %d values per sample (%d input channels x %dx%d kernel x %s output),"
          + " more than a Java array holds (%d): make '%s' smaller (fewer input channels, a"
          + " smaller kernel or a larger stride)%n  shapes: %s"),
  SEQUENCE_INPUT_SETTING(
      "SequenceInputSetting",
      "@%s '%s' has %s = %d: %s must be positive, e.g. %s"),
  EMBEDDING_NEEDS_TOKENS(
      "EmbeddingNeedsTokens",
      "Embedding '%s' follows '%s', whose output is %s; Embedding takes token ids: declare the"
          + " input @TokenInput(length = ..., vocabulary = ...) and put '%s' right after it"
          + "%n  shapes: %s"),
  TOKENS_NEED_EMBEDDING(
      "TokensNeedEmbedding",
      "%s '%s' follows '%s', whose output is %s, token ids rather than values; %s takes real"
          + " values: add @Embedding(dim) before '%s'%n  shapes: %s"),
  SEQUENCE_NOT_ACCEPTED(
      "SequenceNotAccepted",
      "%s '%s' follows '%s', whose output is the sequence %s; %s takes %s: %s%n  shapes: %s"),
  SEQUENCE_NEEDED(
      "SequenceNeeded",
      "%s '%s' follows '%s', whose output is %s; %s takes a sequence [steps][features]: declare"
          + " @SequenceInput(length = ..., features = ...), or @TokenInput and @Embedding, or"
          + " remove '%s'%n  shapes: %s"),
  SEQUENCE_LOSS("SequenceLoss", "%s, but the output layer '%s' has the sequence %s: %s"),
  HEADS_NOT_DIVIDING(
      "HeadsNotDividing",
      "CausalSelfAttention '%s' has %d heads, which do not divide the width %d of its input %s"
          + " (from '%s'): each head attends with d / heads values; use %s, or a width that %d"
          + " divides%n  shapes: %s"),
  ACTIVATION_ON_ATTENTION(
      "ActivationOnAttention",
      "%s on @CausalSelfAttention '%s': attention ends in its output projection without an"
          + " activation, as PyTorch's nn.MultiheadAttention does; remove %s, or put it on a"
          + " @Dense after '%s'"),
  RECURRENT_ACTIVATION(
      "RecurrentActivation",
      "%s on @%s '%s': a recurrent layer applies its own nonlinearities (%s), and PyTorch's"
          + " nn.%s takes no activation; remove %s, or put it on a layer after '%s'"),
  INTERNAL(
      "Internal",
      "Annonet could not process %s because of an internal error, please report it: %s");

  private final String tag;
  private final String format;

  Message(String tag, String format) {
    this.tag = tag;
    this.format = format;
  }

  /** The stable tag, e.g. {@code FlattenNeeded}. */
  public String tag() {
    return tag;
  }

  /** The full text: {@code [Annonet/Tag] message}. */
  public String format(Object... args) {
    return "[Annonet/" + tag + "] " + String.format(format, args);
  }
}
