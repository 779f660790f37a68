package dev.annonet.processor;

import com.google.auto.service.AutoService;
import dev.annonet.processor.codegen.ModelGenerator;
import dev.annonet.processor.model.NetworkModel;
import dev.annonet.processor.model.NetworkReader;
import dev.annonet.processor.model.Names;
import dev.annonet.processor.model.Origin;
import dev.annonet.processor.shapes.CheckedNetwork;
import dev.annonet.processor.shapes.ShapeChecker;
import dev.annonet.processor.shapes.Summary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * Checks every {@code @Network} class and generates its {@code <Name>Model}. Per network, a
 * recipe in which each stage runs only if the ones before reported no error: read the
 * declarations, infer and check the shapes, print the summary, generate. It never throws out of
 * {@link #process}: an unexpected failure is an {@code [Annonet/Internal]} error on the class,
 * and the other networks are still processed.
 */
@AutoService(Processor.class)
public final class NetworkProcessor extends AbstractProcessor {

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
      } catch (RuntimeException | IOException e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        diagnostics.error(Origin.of(element), Message.INTERNAL, element, trace);
      }
    }
    // Annonet's annotations are only read here: claiming them ends javac's search.
    return true;
  }

  private void processNetwork(TypeElement type, Diagnostics diagnostics) throws IOException {
    NetworkModel model = new NetworkReader(diagnostics).read(type);
    if (model == null) {
      return;
    }
    CheckedNetwork checked = new ShapeChecker(diagnostics).check(model, 0);
    if (checked == null) {
      return;
    }
    diagnostics.note(model.origin(), Summary.of(checked));
    new ModelGenerator(checked).generate().writeTo(processingEnv.getFiler());
  }
}
