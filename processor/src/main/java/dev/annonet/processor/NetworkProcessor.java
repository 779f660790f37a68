package dev.annonet.processor;

import com.google.auto.service.AutoService;
import dev.annonet.processor.codegen.ModelGenerator;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import dev.annonet.processor.model.LossSpec;
import dev.annonet.processor.model.Names;
import dev.annonet.processor.model.NetworkModel;
import dev.annonet.processor.model.NetworkReader;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.phi.PhiDerivation;
import dev.annonet.processor.shapes.CheckedNetwork;
import dev.annonet.processor.shapes.ShapeChecker;
import dev.annonet.processor.shapes.Summary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * Checks every {@code @Network} class and generates its {@code <Name>Model}. Per network, a
 * recipe in which each stage runs only if the ones before reported no error: read the
 * declarations, derive phi's derivative if the user wrote none, infer and check the shapes, print
 * the summary, generate. It never throws out of
 * {@link #process}: anything a stage throws, an {@link Error} such as an {@code AssertionError}
 * included, is an {@code [Annonet/Internal]} error on the class carrying the stack trace, and the
 * other networks are still processed.
 */
@AutoService(Processor.class)
public final class NetworkProcessor extends AbstractProcessor {
  /**
   * Told each stage's name ({@code read}, {@code derive}, {@code check}, {@code note}, {@code
   * generate}) first.
   */
  private final BiConsumer<String, TypeElement> stageStarting;

  /** The processor javac runs (found through {@code META-INF/services}). */
  public NetworkProcessor() {
    this((stage, network) -> {});
  }

  /**
   * A processor that tells {@code stageStarting} before each stage of each network: for tests,
   * which make a stage throw to see how the processor reports a failure of its own.
   */
  NetworkProcessor(BiConsumer<String, TypeElement> stageStarting) {
    this.stageStarting = stageStarting;
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    // All of Annonet's annotations, so that javac -Xlint does not warn that none claimed them.
    return Set.of(Names.NN + "*");
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    TypeElement network = processingEnv.getElementUtils().getTypeElement(Names.NETWORK);
    if (network == null) {
      return false;
    }
    if (annotations.isEmpty()) {
      return false;
    }
    for (Element element : round.getElementsAnnotatedWith(network)) {
      Diagnostics diagnostics = new Diagnostics(processingEnv.getMessager());
      try {
        processNetwork((TypeElement) element, diagnostics);
      } catch (Throwable e) {
        // Whatever went wrong, javac must not crash: the class gets an error and the next
        // network is processed.
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        diagnostics.error(Origin.of(element), Message.INTERNAL, element, trace);
      }
    }
    // Annonet's annotations are only read here: claiming them ends javac's search.
    return true;
  }

  private void processNetwork(TypeElement type, Diagnostics diagnostics) throws IOException {
    stageStarting.accept("read", type);
    NetworkModel model = new NetworkReader(diagnostics, processingEnv.getElementUtils()).read(type);
    if (model == null) {
      return;
    }
    List<MethodSpec> derivedPhi = List.of();
    LossSpec loss = model.loss();
    if (loss != null && loss.phiOrigin() != null && loss.phiDerivative() == null
        && diagnostics.errorCount() == 0) {
      stageStarting.accept("derive", type);
      derivedPhi = PhiDerivation.derive(processingEnv,
          (ExecutableElement) loss.phiOrigin().element(), loss.phiOrigin(), ClassName.get(type),
          diagnostics);
    }
    stageStarting.accept("check", type);
    CheckedNetwork checked = new ShapeChecker(diagnostics).check(model, 0);
    if (checked == null || derivedPhi == null) {
      return;
    }
    stageStarting.accept("note", type);
    diagnostics.note(model.origin(), Summary.of(checked));
    stageStarting.accept("generate", type);
    new ModelGenerator(checked, derivedPhi).generate().writeTo(processingEnv.getFiler());
  }
}
