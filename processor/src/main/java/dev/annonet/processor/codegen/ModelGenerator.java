package dev.annonet.processor.codegen;

import static dev.annonet.processor.codegen.RuntimeNames.LAYER_INFO;
import static dev.annonet.processor.codegen.RuntimeNames.LAYER_LIST;
import static dev.annonet.processor.codegen.RuntimeNames.MODELS;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.annonet.processor.layers.Conv2dNode;
import dev.annonet.processor.layers.DropoutNode;
import dev.annonet.processor.layers.ImageLayerNode;
import dev.annonet.processor.layers.LayerNode;
import dev.annonet.processor.model.ActivationKind;
import dev.annonet.processor.model.LossKind;
import dev.annonet.processor.model.NetworkModel;
import dev.annonet.processor.shapes.CheckedNetwork;
import dev.annonet.processor.shapes.ParameterLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Assembles {@code <Name>Model}: constants, buffers and the {@code Model} methods, with each
 * layer's code coming from its kind ({@link LayerNode#forward} and the other code methods).
 * Generated code has the network's sizes as constants, bias and activation fused into the kernels
 * that produce them, and allocates nothing once its buffers have grown to the batch size.
 */
public final class ModelGenerator {
  private static final String PROCESSOR = "dev.annonet.processor.NetworkProcessor";

  private final CheckedNetwork net;
  private final NetworkModel model;
  private final Graph graph;
  private final List<LayerPlan> plans;
  private final LayerPlan last;
  private final ClassName userClass;
  private final ClassName self;
  private final List<Buffer> buffers = new ArrayList<>();
  private final boolean hasDropout;
  /**
   * Whether every layer treats each sample on its own, so that a batch may be cut into slices
   * run side by side ({@code BatchSlices}): no dropout (one random stream), no batch statistics.
   */
  private final boolean sliceable;
  /** The one-thread pass over a sliced batch ({@link #lossAndGradientBySlice}), or null. */
  private final MethodSpec bySlice;
  /** The derivative of a {@code @ResidualLoss}'s phi and its helpers, when Annonet derived it. */
  private final List<MethodSpec> derivedPhi;
  /**
   * The leading layers that treat each image on its own, run as one pass over ranges of images
   * ({@code ImageChain}, {@link #imageLayers()}); empty when there is no such run.
   */
  private final List<LayerPlan> images;

  public ModelGenerator(CheckedNetwork net) {
    this(net, List.of());
  }

  public ModelGenerator(CheckedNetwork net, List<MethodSpec> derivedPhi) {
    this.net = net;
    this.derivedPhi = derivedPhi;
    this.model = net.model();
    this.userClass = ClassName.get((TypeElement) model.origin().element());
    this.self = ClassName.get(model.packageName(), model.generatedName());
    this.graph = new Graph(net, new Identifiers(ownIdentifiers()));
    this.plans = graph.plans;
    this.last = graph.last();
    this.hasDropout = model.layers().stream().anyMatch(DropoutNode.class::isInstance);
    for (LayerPlan p : plans) {
      if (p.isInput() || p.isFlatten()) {
        continue;
      }
      buffers.addAll(layerBuffers(p));
    }
    Map<String, Integer> scratch = new TreeMap<>(graph.scratch);
    scratch.forEach(
        (name, size) ->
            buffers.add(Buffer.perSample(name, "A branch's share of a gradient", size)));
    this.sliceable = !hasDropout && buffers.stream().noneMatch(Buffer::persistent);
    this.images = imageLayers();
    this.bySlice = lossAndGradientBySlice();
  }

  /**
   * The leading computing layers that treat each image on its own ({@link ImageLayerNode}: the
   * first reads the input, each of the others the one before it, and only the next layer reads
   * each but the last), when they include a convolution; else none. An activation kept for its
   * derivative ends the run, as its kernel works on the whole batch.
   */
  private List<LayerPlan> imageLayers() {
    Map<LayerPlan, Integer> readers = new java.util.HashMap<>();
    for (LayerPlan r : plans) {
      if (!r.isInput() && !r.isFlatten()) {
        r.inputs().forEach(in -> readers.merge(Graph.source(in), 1, Integer::sum));
      }
    }
    List<LayerPlan> run = new ArrayList<>();
    for (LayerPlan p : computing()) {
      LayerPlan in = Graph.source(p.in());
      boolean follows = run.isEmpty() ? in.isInput() : in == run.get(run.size() - 1);
      if (!(p.node() instanceof ImageLayerNode) || p.kept() != null || !follows) {
        break;
      }
      run.add(p);
      if (readers.getOrDefault(p, 0) != 1) {
        break;
      }
    }
    return run.stream().anyMatch(p -> p.node() instanceof Conv2dNode) ? run : List.of();
  }

  /** The image layers by name, for comments: {@code c1 to p2}. */
  private String imagesSpan() {
    return images.size() == 1
        ? images.get(0).name()
        : images.get(0).name() + " to " + images.get(images.size() - 1).name();
  }

  /**
   * The identifiers the generated class uses whatever its layers: its own fields and constants,
   * its methods' parameters and locals (a layer's buffer of the same name would be shadowed),
   * and the simple names of the types it refers to (a field of that name would hide the type).
   * Code that adds a field, a local or a type to the generated class adds its name here.
   */
  private List<String> ownIdentifiers() {
    List<String> names = new ArrayList<>(List.of(
        "INPUT_SIZE", "OUTPUT_SIZE", "TARGET_SIZE", "PARAMETER_COUNT", "LAYERS",
        "OUTPUT_STEPS", "OUTPUT_FEATURES", "MULTIPLY_ADDS",
        "params", "grads", "training", "dropoutState", "capacity", "slices", "shared",
        "x", "y", "batch", "d", "out", "loss", "n", "scale", "sum", "r", "k", "rng", "seed",
        "from", "to", "first", "s", "imagesForward", "imagesBackward", "IMAGE_MULTIPLY_ADDS",
        "other", "state",
        "java", "dev", "String", "Map", "Override", "IllegalArgumentException", "System"));
    names.addAll(RuntimeNames.simpleNames());
    names.addAll(userClass.simpleNames());
    names.addAll(self.simpleNames());
    return names;
  }

  /** A computing layer's buffers: its output, its gradient, and its kind's own. */
  static List<Buffer> layerBuffers(LayerPlan p) {
    List<Buffer> list = new ArrayList<>();
    list.add(Buffer.perSample(p.value(), "Output of " + p.name(), p.size()));
    list.add(
        Buffer.perSample(
            p.grad(), "Gradient of the loss w.r.t. " + p.name() + "'s output before its"
                + " activation", p.size()));
    if (p.kept() != null) {
      list.add(
          Buffer.perSample(
              p.kept(), "Output of " + p.name() + " before its " + p.node().activation().display()
                  + ", kept for its derivative", p.size()));
    }
    list.addAll(p.node().buffers(p));
    return list;
  }

  /** Layers that compute something: not the input, not a flatten. */
  private List<LayerPlan> computing() {
    List<LayerPlan> list = new ArrayList<>();
    for (LayerPlan p : plans) {
      if (!p.isInput() && !p.isFlatten()) {
        list.add(p);
      }
    }
    return list;
  }

  public JavaFile generate() {
    TypeSpec.Builder type =
        TypeSpec.classBuilder(self)
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addSuperinterface(RuntimeNames.MODEL)
            .addOriginatingElement(model.origin().element())
            .addJavadoc(
                "Generated by $L from {@link $T}: $L, loss @$L.\n\n"
                    + "<p>Do not edit: change the annotated class and recompile.\n",
                PROCESSOR, userClass, trace(), model.loss().kind().annotation());
    addConstants(type);
    addFields(type);
    addConstructors(type);
    addDescription(type);
    type.addMethod(initialize());
    type.addMethod(reserve());
    type.addMethod(forward());
    if (!images.isEmpty()) {
      type.addMethod(imagesForward());
    }
    type.addMethod(lossAndGradient());
    if (!images.isEmpty()) {
      type.addMethod(imagesBackward());
    }
    if (bySlice != null) {
      type.addMethod(bySlice);
    }
    type.addMethod(loss());
    type.addMethod(predict());
    type.addMethod(LossEmitter.lossOf(model.loss(), last, userClass));
    if (model.loss().kind() == LossKind.RESIDUAL) {
      type.addMethods(LossEmitter.phiMethods(model.loss(), userClass, derivedPhi));
    }
    type.addMethod(
        MethodSpec.methodBuilder("copy")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(self)
            .addStatement("return new $T(this)", self)
            .build());
    return JavaFile.builder(model.packageName(), type.build())
        .skipJavaLangImports(true)
        .indent("  ")
        .build();
  }

  private String trace() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < plans.size(); i++) {
      LayerPlan p = plans.get(i);
      s.append(i == 0 ? "" : " -> ").append(p.name()).append(' ').append(p.shape());
      if (!p.node().activation().isNone()) {
        s.append(' ').append(p.node().activation().display());
      }
    }
    return s.toString();
  }

  private void addConstants(TypeSpec.Builder type) {
    boolean sequence = last.shape().isRealSequence();
    int targets = model.loss().kind() != LossKind.SOFTMAX_CROSS_ENTROPY ? last.size()
        : sequence ? last.shape().steps() : 1;
    type.addField(publicConstant("INPUT_SIZE", net.inputShape().size(),
        net.inputShape().isTokens() ? "Token ids per sample." : "Floats per sample."));
    type.addField(publicConstant("OUTPUT_SIZE", last.size(), "Output units."));
    if (sequence) {
      type.addField(publicConstant("OUTPUT_STEPS", last.shape().steps(), "Output positions."));
      type.addField(publicConstant("OUTPUT_FEATURES", last.shape().features(),
          "Output units per position."));
    }
    type.addField(publicConstant("TARGET_SIZE", targets, "Floats per target."));
    type.addField(
        publicConstant("PARAMETER_COUNT", net.totalParameters(), "Number of parameters."));
    type.addField(
        FieldSpec.builder(TypeName.LONG, "MULTIPLY_ADDS", Modifier.PUBLIC, Modifier.STATIC,
                Modifier.FINAL)
            .initializer("$LL", net.totalMultiplyAdds())
            .addJavadoc("Multiply-adds per sample of the forward pass.")
            .build());
    if (!images.isEmpty()) {
      long imageMultiplyAdds = 0;
      for (LayerPlan p : images) {
        imageMultiplyAdds += p.node().multiplyAdds(p.inShape(), p.shape());
      }
      type.addField(
          FieldSpec.builder(TypeName.LONG, "IMAGE_MULTIPLY_ADDS", Modifier.PRIVATE,
                  Modifier.STATIC, Modifier.FINAL)
              .initializer("$LL", imageMultiplyAdds)
              .addJavadoc("Multiply-adds per image of $L's forward pass.", imagesSpan())
              .build());
    }
    for (LayerPlan p : computing()) {
      p.node().constants(p).forEach(type::addField);
    }
    CodeBlock.Builder layers = CodeBlock.builder().add("$T.of(\n", RuntimeNames.LIST).indent();
    for (int i = 0; i < plans.size(); i++) {
      LayerPlan p = plans.get(i);
      String act = p.node().activation().isNone() ? "" : p.node().activation().kind().annotation();
      // A token sequence is its T ids; every other shape is its dims.
      CodeBlock shape = intArray(
          p.shape().isTokens() ? new int[] {p.shape().steps()} : p.shape().dims());
      if (p.hasParameters() && p.layout().hasParts()) {
        layers.add("$T.ofTensors($S, $S, $S, $L", LAYER_INFO, p.name(), p.node().kind(), act,
            shape).indent();
        for (ParameterLayout.Part part : p.layout().parts()) {
          layers.add(",\nnew $T.Tensor($S, $L_W + $L, $L)", LAYER_INFO, part.name(), p.prefix(),
              p.layout().offsetInLayer(part), intArray(part.shape()));
        }
        layers.add(")").unindent();
      } else if (p.hasParameters() && p.layout().biasOffset() < 0) {
        layers.add(
            "new $T($S, $S, $S, $L, $L_W, $L, -1, 0)",
            LAYER_INFO, p.name(), p.node().kind(), act, shape, p.prefix(),
            intArray(p.layout().weightShape()));
      } else if (p.hasParameters()) {
        layers.add(
            "new $T($S, $S, $S, $L, $L_W, $L, $L_B, $L)",
            LAYER_INFO, p.name(), p.node().kind(), act, shape, p.prefix(),
            intArray(p.layout().weightShape()), p.prefix(), p.layout().biasCount());
      } else {
        layers.add(
            "new $T($S, $S, $S, $L, -1, new int[0], -1, 0)",
            LAYER_INFO, p.name(), p.node().kind(), act, shape);
      }
      layers.add(i == plans.size() - 1 ? ")" : ",\n");
    }
    type.addField(
        FieldSpec.builder(LAYER_LIST, "LAYERS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer(layers.unindent().build())
            .build());
  }

  private static CodeBlock intArray(int[] dims) {
    CodeBlock.Builder b = CodeBlock.builder().add("new int[] {");
    for (int i = 0; i < dims.length; i++) {
      b.add(i == 0 ? "$L" : ", $L", dims[i]);
    }
    return b.add("}").build();
  }

  private static FieldSpec publicConstant(String name, int value, String doc) {
    return FieldSpec.builder(TypeName.INT, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .initializer("$L", value)
        .addJavadoc("$L", doc)
        .build();
  }

  private void addFields(TypeSpec.Builder type) {
    type.addField(
        FieldSpec.builder(float[].class, "params", Modifier.PRIVATE, Modifier.FINAL)
            .addJavadoc("All parameters, layers in order, each as PyTorch lays it out.")
            .build());
    type.addField(
        FieldSpec.builder(float[].class, "grads", Modifier.PRIVATE, Modifier.FINAL)
            .initializer("new float[PARAMETER_COUNT]")
            .addJavadoc("Gradient of the mean batch loss, laid out as params.")
            .build());
    if (sliceable) {
      type.addField(
          FieldSpec.builder(RuntimeNames.BATCH_SLICES, "slices", Modifier.PRIVATE, Modifier.FINAL)
              .addJavadoc("Runs a large batch as slices side by side on replicas; null in a"
                  + " replica.")
              .build());
    }
    type.addField(
        FieldSpec.builder(TypeName.BOOLEAN, "training", Modifier.PRIVATE)
            .initializer("true")
            .addJavadoc("Training mode (dropout and batch statistics) or inference mode.")
            .build());
    if (hasDropout) {
      type.addField(
          FieldSpec.builder(TypeName.LONG, "dropoutState", Modifier.PRIVATE)
              .addJavadoc("The dropout masks' random stream, seeded by initialize.")
              .build());
    }
    type.addField(
        FieldSpec.builder(TypeName.INT, "capacity", Modifier.PRIVATE)
            .addJavadoc("The batch size the per-sample buffers hold.")
            .build());
    if (!images.isEmpty()) {
      for (String pass : List.of("Forward", "Backward")) {
        type.addField(
            FieldSpec.builder(RuntimeNames.IMAGE_PASS, "images" + pass, Modifier.PRIVATE,
                    Modifier.FINAL)
                .initializer("this::images$L", pass)
                .addJavadoc("$L's $L pass over a range of images, for $T.", imagesSpan(),
                    pass.toLowerCase(java.util.Locale.ROOT), RuntimeNames.IMAGE_CHAIN)
                .build());
      }
      for (LayerPlan p : images) {
        String partials = ((ImageLayerNode) p.node()).partialsField(p);
        if (partials != null) {
          type.addField(
              FieldSpec.builder(float[].class, partials, Modifier.PRIVATE)
                  .initializer("new float[0]")
                  .addJavadoc("$L's parameter gradient as partial sums per block of images.",
                      p.name())
                  .build());
        }
      }
    }
    for (Buffer b : buffers) {
      Class<?> arrayType = b.ints() ? int[].class : float[].class;
      FieldSpec.Builder field = FieldSpec.builder(arrayType, b.name(), Modifier.PRIVATE);
      if (b.perSample()) {
        field.initializer(b.ints() ? "new int[0]" : "new float[0]")
            .addJavadoc("$L: [batch][$L].", b.doc(), b.size());
      } else {
        field.addModifiers(Modifier.FINAL)
            .initializer("new float[$L]", b.size())
            .addJavadoc("$L: [$L].", b.doc(), b.size());
      }
      type.addField(field.build());
    }
  }

  private void addConstructors(TypeSpec.Builder type) {
    type.addMethod(
        MethodSpec.constructorBuilder()
            .addModifiers(Modifier.PUBLIC)
            .addParameter(TypeName.LONG, "seed")
            .addJavadoc("A model initialised from {@code seed} (see {@link #initialize}).\n")
            .addStatement("params = new float[PARAMETER_COUNT]")
            .addCode(newSlices())
            .addStatement("initialize(seed)")
            .build());
    MethodSpec.Builder copy =
        MethodSpec.constructorBuilder()
            .addModifiers(Modifier.PRIVATE)
            .addParameter(self, "other")
            .addStatement("params = new float[PARAMETER_COUNT]")
            .addCode(newSlices())
            .addStatement("System.arraycopy(other.params, 0, params, 0, PARAMETER_COUNT)")
            .addStatement("training = other.training");
    if (hasDropout) {
      copy.addStatement("dropoutState = other.dropoutState");
    }
    for (Buffer b : buffers) {
      if (b.persistent()) {
        copy.addStatement("System.arraycopy(other.$L, 0, $L, 0, $L)", b.name(), b.name(), b.size());
      }
    }
    type.addMethod(copy.build());
    if (sliceable) {
      type.addMethod(
          MethodSpec.constructorBuilder()
              .addModifiers(Modifier.PRIVATE)
              .addParameter(float[].class, "shared")
              .addJavadoc("A replica for {@link $T}: reads {@code shared} as its parameters,\n"
                  + "has its own gradient and buffers, and never slices.\n",
                  RuntimeNames.BATCH_SLICES)
              .addStatement("params = shared")
              .addStatement("slices = null")
              .build());
    }
  }

  /** The statement that gives a sliceable model its {@code BatchSlices}. */
  private CodeBlock newSlices() {
    return sliceable
        ? CodeBlock.builder()
            .addStatement("slices = new $T(params, grads, MULTIPLY_ADDS, $T::new, $L)",
                RuntimeNames.BATCH_SLICES, self,
                bySlice != null ? "this::lossAndGradientBySlice" : "null")
            .build()
        : CodeBlock.of("");
  }

  private void addDescription(TypeSpec.Builder type) {
    type.addMethod(
        getter("name", TypeName.get(String.class), CodeBlock.of("$S", model.simpleName())));
    type.addMethod(getter("inputSize", TypeName.INT, CodeBlock.of("INPUT_SIZE")));
    type.addMethod(getter("outputSize", TypeName.INT, CodeBlock.of("OUTPUT_SIZE")));
    type.addMethod(getter("targetSize", TypeName.INT, CodeBlock.of("TARGET_SIZE")));
    type.addMethod(
        getter(
            "task",
            RuntimeNames.TASK,
            CodeBlock.of("$T.$L", RuntimeNames.TASK, model.loss().kind().task())));
    if (last.shape().isRealSequence()
        && model.loss().kind() == LossKind.SOFTMAX_CROSS_ENTROPY) {
      type.addMethod(getter("steps", TypeName.INT, CodeBlock.of("OUTPUT_STEPS")));
    }
    if (net.inputShape().isTokens()) {
      type.addMethod(
          getter("vocabulary", TypeName.INT, CodeBlock.of("$L", net.inputShape().vocabulary())));
    }
    type.addMethod(getter("layers", LAYER_LIST, CodeBlock.of("LAYERS")));
    type.addMethod(getter("parameters", TypeName.get(float[].class), CodeBlock.of("params")));
    type.addMethod(getter("gradients", TypeName.get(float[].class), CodeBlock.of("grads")));
    type.addMethod(getter("parameterCount", TypeName.INT, CodeBlock.of("PARAMETER_COUNT")));
    type.addMethod(getter("multiplyAdds", TypeName.LONG, CodeBlock.of("MULTIPLY_ADDS")));
    type.addMethod(getter("isTraining", TypeName.BOOLEAN, CodeBlock.of("training")));
    List<Buffer> state = buffers.stream().filter(Buffer::persistent).toList();
    if (!state.isEmpty()) {
      CodeBlock.Builder map = CodeBlock.builder().add("$T.ofEntries(", Map.class);
      for (int i = 0; i < state.size(); i++) {
        map.add(i == 0 ? "$T.entry($S, $L)" : ", $T.entry($S, $L)", Map.class,
            state.get(i).stateName(), state.get(i).name());
      }
      type.addMethod(
          getter(
              "buffers",
              ParameterizedTypeName.get(Map.class, String.class, float[].class),
              map.add(")").build()));
    }
    if (hasDropout) {
      type.addMethod(
          getter("randomState", TypeName.get(long[].class),
              CodeBlock.of("new long[] {dropoutState}")));
      type.addMethod(
          MethodSpec.methodBuilder("setRandomState")
              .addAnnotation(Override.class)
              .addModifiers(Modifier.PUBLIC)
              .addParameter(long[].class, "state")
              .beginControlFlow("if (state == null || state.length != 1)")
              .addStatement(
                  "throw new $T(\n$S\n+ $T.toString(state) + $S)",
                  IllegalArgumentException.class,
                  model.simpleName() + " keeps 1 random state value (its dropout stream), got ",
                  Arrays.class,
                  ": the state comes from another network")
              .endControlFlow()
              .addStatement("dropoutState = state[0]")
              .build());
    }
    type.addMethod(
        MethodSpec.methodBuilder("setTraining")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .addParameter(TypeName.BOOLEAN, "training")
            .addStatement("this.training = training")
            .build());
  }

  private static MethodSpec getter(String name, TypeName type, CodeBlock value) {
    return MethodSpec.methodBuilder(name)
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(type)
        .addStatement("return $L", value)
        .build();
  }

  private MethodSpec initialize() {
    MethodSpec.Builder m =
        MethodSpec.methodBuilder("initialize")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .addParameter(TypeName.LONG, "seed")
            .addStatement("$T rng = new $T(seed)", RuntimeNames.RANDOM, RuntimeNames.RANDOM);
    for (LayerPlan p : computing()) {
      m.addCode(p.node().initialize(p));
    }
    if (hasDropout) {
      m.addStatement("dropoutState = rng.nextLong()");
    }
    return m.build();
  }

  private MethodSpec reserve() {
    MethodSpec.Builder m =
        MethodSpec.methodBuilder("reserve")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .addParameter(TypeName.INT, "batch")
            .beginControlFlow("if (batch <= capacity)")
            .addStatement("return")
            .endControlFlow();
    for (Buffer b : buffers) {
      if (b.perSample()) {
        m.addStatement("$L = new $L[batch * $L]", b.name(), b.ints() ? "int" : "float", b.size());
      }
    }
    return m.addStatement("capacity = batch").build();
  }

  private MethodSpec forward() {
    MethodSpec.Builder m =
        MethodSpec.methodBuilder("forward")
            .addModifiers(Modifier.PRIVATE)
            .addParameter(float[].class, "x")
            .addParameter(TypeName.INT, "batch")
            .addJavadoc("Forward pass; x: [batch][INPUT_SIZE].\n")
            .addStatement("reserve(batch)");
    for (LayerPlan p : plans) {
      if (images.contains(p)) {
        if (p == images.get(0)) {
          m.addCode("// $L, image by image on the kernel threads: imagesForward\n", imagesSpan())
              .addStatement("$T.run(imagesForward, x, batch, IMAGE_MULTIPLY_ADDS)",
                  RuntimeNames.IMAGE_CHAIN);
        }
        continue;
      }
      m.addCode(p.node().forward(p));
      if (p.kept() != null) {
        m.addStatement(
            "$T.$L.applyInPlaceKeepingInput($L, 0, $L, 0, batch * $L, 0f)", RuntimeNames.ACTIVATION,
            p.node().activation().kind().runtimeConstant(), p.value(), p.kept(), p.size());
      }
    }
    if (last.producer().kind() == ActivationKind.SOFTMAX) {
      m.addStatement(
          "$T.softmaxInPlace($L, $L)", RuntimeNames.LOSSES, last.value(),
          LossEmitter.rows(last));
    }
    return m.build();
  }

  private MethodSpec lossAndGradient() {
    MethodSpec.Builder m =
        MethodSpec.methodBuilder("lossAndGradient")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(TypeName.FLOAT)
            .addParameter(float[].class, "x")
            .addParameter(float[].class, "y")
            .addParameter(TypeName.INT, "batch")
            .addStatement("$T.checkBatch(this, x, y, batch)", MODELS);
    if (sliceable) {
      m.beginControlFlow("if (slices != null && slices.splits(batch))")
          .addStatement("return slices.lossAndGradient(x, y, batch)")
          .endControlFlow();
    }
    m.addStatement("forward(x, batch)")
        .addStatement("float loss = lossOf(y, 0, batch, $L)", last.grad())
        .addCode(LossEmitter.outputActivationBackward(last))
        .addCode(backward(false));
    return m.addStatement("return loss").build();
  }

  /**
   * The layers' backward passes, last first; {@code bySlice}: each layer's {@link
   * LayerNode#backwardBySlice}, null if a layer has none.
   */
  private CodeBlock backward(boolean bySlice) {
    CodeBlock.Builder code = CodeBlock.builder();
    List<LayerPlan> computing = computing();
    for (int i = computing.size() - 1; i >= 0; i--) {
      LayerPlan p = computing.get(i);
      if (!bySlice && images.contains(p)) {
        if (p == images.get(images.size() - 1)) {
          code.add(imagesBackwardCall());
        }
        continue;
      }
      if (p.kept() != null) {
        code.add("// through $L's $L, at its kept input\n", p.name(),
                p.node().activation().display())
            .addStatement(
                "$T.$L.multiplyByDerivativeAt($L, 0, $L, 0, batch * $L, 0f)",
                RuntimeNames.ACTIVATION, p.node().activation().kind().runtimeConstant(), p.grad(),
                p.kept(), p.size());
      }
      CodeBlock layer = bySlice ? p.node().backwardBySlice(p, graph) : p.node().backward(p, graph);
      if (layer == null) {
        return null;
      }
      code.add(layer);
    }
    return code.build();
  }

  /** {@code imagesForward}: the forward pass of the image layers on images [from, to). */
  private MethodSpec imagesForward() {
    MethodSpec.Builder m = imagesMethod("imagesForward")
        .addJavadoc("$L's forward pass on images [from, to) of the batch x: the pass\n"
            + "{@link $T} shares between the kernel threads.\n", imagesSpan(),
            RuntimeNames.IMAGE_CHAIN);
    for (LayerPlan p : images) {
      m.addCode(((ImageLayerNode) p.node()).forwardImages(p));
    }
    return m.build();
  }

  /**
   * {@code imagesBackward}: the backward pass of the image layers on images [from, to), last
   * layer first, the convolutions' parameter gradients as partial sums per block.
   */
  private MethodSpec imagesBackward() {
    MethodSpec.Builder m = imagesMethod("imagesBackward")
        .addJavadoc("$L's backward pass on images [from, to) of the batch x: the pass\n"
            + "{@link $T} shares between the kernel threads; the convolutions' parameter\n"
            + "gradients go to partial sums per block of images, added up after it.\n",
            imagesSpan(), RuntimeNames.IMAGE_CHAIN);
    for (int i = images.size() - 1; i >= 0; i--) {
      LayerPlan p = images.get(i);
      m.addCode(((ImageLayerNode) p.node()).backwardImages(p, graph));
    }
    return m.build();
  }

  private static MethodSpec.Builder imagesMethod(String name) {
    return MethodSpec.methodBuilder(name)
        .addModifiers(Modifier.PRIVATE)
        .addParameter(float[].class, "x")
        .addParameter(TypeName.INT, "from")
        .addParameter(TypeName.INT, "to")
        .addParameter(TypeName.INT, "batch");
  }

  /** The backward pass of the image layers: sized partial sums, the shared pass, the sums. */
  private CodeBlock imagesBackwardCall() {
    CodeBlock.Builder code = CodeBlock.builder()
        .add("// $L, image by image on the kernel threads: imagesBackward, then, if it was\n",
            imagesSpan())
        .add("// split, each convolution's parameter gradient from its partial sums\n");
    for (LayerPlan p : images) {
      code.add(((ImageLayerNode) p.node()).beforeBackward(p));
    }
    code.beginControlFlow("if ($T.run(imagesBackward, x, batch, 2 * IMAGE_MULTIPLY_ADDS))",
        RuntimeNames.IMAGE_CHAIN);
    for (int i = images.size() - 1; i >= 0; i--) {
      LayerPlan p = images.get(i);
      code.add(((ImageLayerNode) p.node()).afterBackward(p));
    }
    return code.endControlFlow().build();
  }

  /**
   * {@code lossAndGradientBySlice}, the pass {@code BatchSlices} runs on one thread instead of
   * one replica after another, or null if a layer cannot keep its slices' gradients apart.
   */
  private MethodSpec lossAndGradientBySlice() {
    CodeBlock backward = sliceable ? backward(true) : null;
    if (backward == null) {
      return null;
    }
    return MethodSpec.methodBuilder("lossAndGradientBySlice")
        .addModifiers(Modifier.PRIVATE)
        .addParameter(float[].class, "x")
        .addParameter(float[].class, "y")
        .addParameter(TypeName.INT, "batch")
        .addParameter(RuntimeNames.BATCH_SLICES, "slices")
        .addJavadoc("A batch that {@code slices} cuts, run on one thread: the forward pass and"
            + " the input gradients\non all rows at once, each slice's loss and parameter"
            + " gradient from its own rows; the\nsame bits as the slices' own passes.\n")
        .addStatement("forward(x, batch)")
        .addCode(Code.eachSlice(
            "slices.setSliceLoss(s, lossOf(y, slices.sliceStart(s), slices.sliceRows(s), $L))",
            last.grad()))
        .addCode(LossEmitter.outputActivationBackward(last))
        .addCode(backward)
        .build();
  }

  private MethodSpec loss() {
    return MethodSpec.methodBuilder("loss")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(TypeName.FLOAT)
        .addParameter(float[].class, "x")
        .addParameter(float[].class, "y")
        .addParameter(TypeName.INT, "batch")
        .addStatement("$T.checkBatch(this, x, y, batch)", MODELS)
        .addStatement("forward(x, batch)")
        .addStatement("return lossOf(y, 0, batch, null)")
        .build();
  }

  private MethodSpec predict() {
    return MethodSpec.methodBuilder("predict")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addParameter(float[].class, "x")
        .addParameter(TypeName.INT, "batch")
        .addParameter(float[].class, "out")
        .addStatement("$T.checkBatch(this, x, batch)", MODELS)
        .addStatement("forward(x, batch)")
        .addStatement("System.arraycopy($L, 0, out, 0, batch * OUTPUT_SIZE)", last.value())
        .addCode(LossEmitter.predictTransform(model.loss().kind(), last))
        .build();
  }
}
