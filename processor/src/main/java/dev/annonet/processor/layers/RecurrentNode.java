package dev.annonet.processor.layers;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.annonet.processor.Message;
import dev.annonet.processor.codegen.Buffer;
import dev.annonet.processor.codegen.Code;
import dev.annonet.processor.codegen.Graph;
import dev.annonet.processor.codegen.LayerPlan;
import dev.annonet.processor.codegen.RuntimeNames;
import dev.annonet.processor.model.Activation;
import dev.annonet.processor.model.LayerReading;
import dev.annonet.processor.shapes.ParameterLayout;
import dev.annonet.processor.shapes.ParameterLayout.Part;
import dev.annonet.processor.shapes.Shape;
import dev.annonet.processor.shapes.ShapeContext;
import java.util.List;

/**
 * {@code @Lstm} or {@code @Gru}: one recurrent layer over a real sequence {@code seq T x I},
 * PyTorch's {@code nn.LSTM} or {@code nn.GRU} with {@code batch_first=True}, outputting every
 * step's hidden state {@code seq T x H} or, with {@code lastStep}, the last one {@code [H]}. The
 * two differ only in their gate count and kernel class ({@code Lstm}, {@code Gru}), whose
 * {@code forward} and {@code backward} take the same arguments.
 */
public sealed interface RecurrentNode extends LayerNode permits LstmNode, GruNode {

  /** PyTorch's {@code state_dict} names of the layer's tensors, in their order in memory. */
  List<String> PARAMETER_NAMES = List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0",
      "bias_hh_l0");

  /** Units of the hidden state, H. */
  int hidden();

  /** Whether the output is only the last step's hidden state. */
  boolean lastStep();

  /** Gate rows per hidden unit: 4 for an LSTM (i, f, g, o), 3 for a GRU (r, z, n). */
  int gates();

  /** The kernel class. */
  ClassName kernel();

  /** PyTorch's class name, {@code LSTM}. */
  String torchName();

  @Override
  default Activation activation() {
    return Activation.none(origin());
  }

  // ---- Reading

  /**
   * Reads the hidden size of {@code @<kind>(hidden, lastStep)}, positive, and refuses an
   * activation annotation, naming the layer's own {@code nonlinearities}.
   */
  static int readHidden(LayerReading r, String kind, String torchName, String nonlinearities) {
    Activation act = r.activation();
    if (!act.isNone()) {
      r.error(act.origin(), Message.RECURRENT_ACTIVATION, act.display(), kind, r.name(),
          nonlinearities, torchName, act.display(), r.name());
    }
    int hidden = r.settings().intValue("hidden");
    r.positive(r.origin().at("hidden"), "@" + kind + " hidden of", hidden,
        "hidden = 128");
    return hidden;
  }

  // ---- Shape rule and parameters

  @Override
  default boolean hasParameters() {
    return true;
  }

  /** Takes a real sequence {@code seq T x I}; outputs {@code seq T x H}, or {@code [H]}. */
  @Override
  default Shape outputShape(ShapeContext c) {
    if (!c.realSequenceInput(this) || hidden() <= 0) {
      return null;
    }
    Shape in = c.in();
    long work = workPerSample(gates(), in.steps(), in.features(), hidden());
    if (work > Integer.MAX_VALUE) {
      c.outputTooLarge(this, "its gates and states of " + in.steps() + " steps", work);
      return null;
    }
    return lastStep() ? Shape.vector(hidden()) : in.withFeatures(hidden());
  }

  /**
   * Floats of the kernels' work buffer per sequence of the batch ({@code workSize(1, ...)} of
   * {@code Lstm} and {@code Gru}, whose size is that times the batch): the input copy, gates,
   * states and their gradients, {@code T (2 I + 11 H) + (gates + 2) H}.
   */
  static long workPerSample(int gates, int steps, int nIn, int hidden) {
    return (long) steps * (2L * nIn + 11L * hidden) + (long) (gates + 2) * hidden;
  }

  /**
   * PyTorch's four tensors back to back: {@code weight_ih_l0 [G H][I]}, {@code weight_hh_l0
   * [G H][H]}, {@code bias_ih_l0 [G H]}, {@code bias_hh_l0 [G H]}.
   */
  @Override
  default ParameterLayout parameters(Shape in) {
    if (!in.isRealSequence() || hidden() <= 0) {
      return ParameterLayout.NONE;
    }
    int nIn = in.features();
    long rows = (long) gates() * hidden();
    if (rows * ((long) nIn + hidden() + 2) > Integer.MAX_VALUE) {
      // Too many to lay out as parts: one block of that count, which the checker reports.
      int perRow = (int) Math.min(Integer.MAX_VALUE, (long) nIn + hidden() + 2);
      return ParameterLayout.of(name(), new int[] {gates(), hidden(), perRow}, null);
    }
    int gh = (int) rows;
    return ParameterLayout.ofParts(name(),
        new Part(PARAMETER_NAMES.get(0), new int[] {gh, nIn}),
        new Part(PARAMETER_NAMES.get(1), new int[] {gh, hidden()}),
        new Part(PARAMETER_NAMES.get(2), new int[] {gh}),
        new Part(PARAMETER_NAMES.get(3), new int[] {gh}));
  }

  @Override
  default long multiplyAdds(Shape in, Shape out) {
    return (long) in.steps() * gates() * hidden() * ((long) in.features() + hidden());
  }

  @Override
  default String smallerOutput() {
    return "fewer hidden units, or a shorter sequence";
  }

  @Override
  default String fewerParameters() {
    return "fewer hidden units, or a smaller input";
  }

  // ---- Code: one kernel call each way over the whole sequence

  /** {@code rnn: LSTM 16 -> 32 over 12 steps, every step's h}. */
  private String banner(LayerPlan p) {
    return p.name() + ": " + torchName() + " " + p.inShape().features() + " -> " + hidden()
        + " over " + p.inShape().steps() + " steps, " + (lastStep() ? "the last" : "every")
        + " step's h";
  }

  private static String work(LayerPlan p) {
    return p.ident() + "Work";
  }

  @Override
  default List<FieldSpec> constants(LayerPlan p) {
    String k = p.prefix();
    return List.of(
        Code.constant(k + "_STEPS", p.inShape().steps(), "Steps of " + banner(p) + "."),
        Code.constant(k + "_IN", p.inShape().features(), "Inputs per step of " + p.name() + "."),
        Code.constant(k + "_HIDDEN", hidden(), "Hidden units of " + p.name() + "."),
        Code.weightOffset(p));
  }

  @Override
  default List<Buffer> buffers(LayerPlan p) {
    Shape in = p.inShape();
    return List.of(Buffer.perSample(work(p), "What " + p.name() + "'s forward pass saves for"
        + " its backward pass (gates and states of every step) and the backward pass's scratch",
        (int) workPerSample(gates(), in.steps(), in.features(), hidden())));
  }

  /** U(-1/sqrt(H), 1/sqrt(H)) for all four tensors, as PyTorch initialises them. */
  @Override
  default CodeBlock initialize(LayerPlan p) {
    String k = p.prefix();
    return CodeBlock.builder()
        .addStatement("$T.recurrentUniform(params, $L_W, $T.parameterCount($L_IN, $L_HIDDEN),"
            + " $L_HIDDEN, rng)", RuntimeNames.INIT, k, kernel(), k, k, k)
        .build();
  }

  @Override
  default CodeBlock forward(LayerPlan p) {
    String k = p.prefix();
    return CodeBlock.builder()
        .add("// $L; $L: [batch]$L\n", banner(p), p.value(), Code.sampleDims(p.shape()))
        .addStatement("$T.forward($L, params, $L_W, $L, $L, $L, batch, $L_STEPS, $L_IN,"
            + " $L_HIDDEN)", kernel(), p.in().value(), k, p.value(), !lastStep(), work(p), k, k,
            k)
        .build();
  }

  /**
   * Backpropagation through time in one call; the kernel writes the input's gradient, which
   * then goes through the derivative of the activation that produced the input, if any.
   */
  @Override
  default CodeBlock backward(LayerPlan p, Graph g) {
    String k = p.prefix();
    String target = g.gradientTarget(p, 0);
    CodeBlock.Builder code = CodeBlock.builder()
        .add("// $L\n", banner(p))
        .addStatement("$T.backward($L, $L, params, $L_W, grads, $L, $L, batch, $L_STEPS, $L_IN,"
                + " $L_HIDDEN)", kernel(), p.grad(), !lastStep(), k,
            target == null ? "null" : target, work(p), k, k, k);
    Activation act = p.in().producer();
    if (target != null && !act.kind().runtimeConstant().equals("IDENTITY")) {
      code.addStatement("$L.multiplyByDerivative($L, 0, $L, 0, batch * $L_STEPS * $L_IN, $L)",
          Code.activation(act), target, p.in().value(), k, k, Code.alpha(act));
    }
    return code.add(target == null ? CodeBlock.of("") : g.accumulate(p, 0)).build();
  }
}
