/**
 * The annotation processor: for each {@code @Network} class, {@link
 * dev.annonet.processor.NetworkProcessor} reads the declarations ({@code model}), derives a
 * {@code @ResidualLoss}'s phi derivative from phi's source when the user wrote none ({@code phi}),
 * infers and checks the shapes ({@code shapes}), prints the summary and generates {@code
 * <Name>Model} ({@code codegen}). Every problem is a javac error from {@link dev.annonet.processor.Message}; a failure
 * of the processor itself is an {@code [Annonet/Internal]} error, never a javac crash.
 *
 * <p>Each layer kind has one home per stage. In the processor that is one file, {@code
 * layers/<Kind>Node.java}: a record of the layer's settings that reads its annotation, states
 * its shape rule and its parameters, and generates its code (see {@code LayerNode}); the stage
 * packages only run the stages. The kind chosen here is one class per annotation rather than one
 * package per kind: a kind is 40 to 200 lines, and the sealed {@code LayerNode} needs its kinds in
 * one package. In the runtime, the annotation is in {@code dev.annonet.nn} and the kernels, the
 * forward and backward of one kind side by side, in {@code dev.annonet.kernels}.
 *
 * <h2>Adding a layer kind</h2>
 *
 * <p>In this order (a kind that is a variant of another, as {@code AvgPool} is of {@code
 * MaxPool} and {@code Gru} of {@code Lstm}, implements their shared interface, here {@code
 * PoolNode} and {@code RecurrentNode}):
 *
 * <ol>
 *   <li><b>Annotation</b>: {@code runtime/.../nn/<Kind>.java}, {@code @Target(FIELD)}, with
 *       PyTorch's argument names and its defaults declared on the annotation itself: the
 *       processor reads them from there ({@code Attributes}), so never copy a default.
 *   <li><b>Kernels</b>: {@code runtime/.../kernels/<Kind>.java}, {@code forward} and {@code
 *       backward} in one file (gradients first: {@code dIn, dW, dB}, then {@code dOut}, then the
 *       forward's inputs), Javadoc giving each array's layout. Light layers may call existing
 *       kernels instead.
 *   <li><b>Node</b>: {@code processor/.../layers/<Kind>Node.java}, a record implementing {@code
 *       LayerNode}, written in stage order:
 *       <ol>
 *         <li>{@code static <Kind>Node read(LayerReading r)}: the settings from {@code
 *             r.settings()}, each checked on its own ({@code r.positive}, {@code
 *             LayerReading.rejected}, {@code r.noActivation}), errors placed on the setting
 *             with {@code origin().at("name")};
 *         <li>{@code outputShape(ShapeContext c)}: the shape rule, reporting through {@code
 *             c.error} with {@code c.trace()} (and {@code c.imageInput}, {@code c.windows} for
 *             an image layer; {@code c.realSequenceInput} for a layer that takes a sequence
 *             {@code seq T x d}, {@code c.realValues} for one that computes on values, {@code
 *             c.vectorOrImageInput} for one that refuses sequences; {@code Shape}'s
 *             documentation shows "seq to seq" and "seq to vector" rules);
 *             {@code shapeWithoutInput} and {@code inputs} only if it differs from the default;
 *         <li>{@code hasParameters} and {@code parameters(Shape in)}: the weight and bias
 *             shapes as PyTorch lays them out ({@code ParameterLayout.of}), which the checker
 *             places in the one parameter buffer; for parameters that are several PyTorch
 *             tensors rather than a weight and a bias (an LSTM's {@code weight_ih_l0} ...
 *             {@code bias_hh_l0}, attention's {@code in_proj_weight} ... {@code out_proj.bias}),
 *             {@code ParameterLayout.ofParts} with their {@code state_dict} names, back to back,
 *             which model files and {@code GradientCheck} then use; {@code multiplyAdds} for the
 *             summary;
 *         <li>the code, "methods generating methods" on a {@code LayerPlan}: {@code constants},
 *             {@code buffers}, {@code initialize}, {@code forward}, {@code backward}, calling the
 *             kernels with the sizes as constants ({@code Code} has the shared pieces). A
 *             kernel that keeps values between forward and backward (an LSTM's gates,
 *             attention's probabilities) gets a work buffer among the layer's buffers, sized
 *             per sample; the processor cannot call the runtime, so the node repeats the
 *             kernel's {@code workSize} formula and a test compares the two
 *             ({@code RecurrentValidationTest}, {@code GeneratedSourceTest}).
 *       </ol>
 *       Add it to {@code LayerNode}'s {@code permits}; the compiler then names every stage
 *       still missing.
 *   <li><b>Registry</b>: one line in {@code layers/Layers.java}, the annotation's simple name
 *       and the kind's {@code read}.
 *   <li><b>Runtime names</b>: the kernel class in {@code codegen/RuntimeNames.java}, so that
 *       generated code imports it and no layer field may take its name.
 *   <li><b>Messages</b>: each new mistake a constant in {@code Message}, a stable tag and a text
 *       that ends with the fix. Existing texts do not change.
 *   <li><b>README</b>: a row in the table "What you can declare".
 * </ol>
 *
 * <p>Tests to add:
 *
 * <ul>
 *   <li>each new {@code Message} constant: a compilation test named after its tag, in {@code
 *       NetworkValidationTest} (reading) or {@code ShapeValidationTest} (shapes), with {@code
 *       hadErrorCount(1)} and the line it points at;
 *   <li>a valid network using the kind in {@code GeneratedSourceTest} (compiles without warnings;
 *       its constants and kernel calls), with a golden under {@code
 *       src/test/resources/goldens/<TestClass>/<testMethod>/} when its code deserves one;
 *   <li>the kind among {@code RandomNetworkTest}'s random layers, whose networks must compile
 *       and pass a gradient check or be rejected by Annonet's own errors;
 *   <li>the kernels' gradient check ({@code runtime/.../kernels/<Kind>Test.java} with {@code
 *       GradientCheck}), and values from PyTorch where the math is not obvious;
 *   <li>a fixture network in {@code examples/src/test/java/.../fixtures} for the whole-network
 *       gradient check of {@code GeneratedGradientTest}.
 * </ul>
 *
 * <p>{@code LayersTest} fails while an annotation of {@code dev.annonet.nn} is neither a
 * registered layer nor an activation.
 */
package dev.annonet.processor;
