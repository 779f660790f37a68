package dev.annonet.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.processing.Completion;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import org.junit.jupiter.api.Test;

/**
 * The processor declares itself isolating for Gradle's incremental annotation processing, and
 * keeps that category's contract: each generated file comes from exactly one originating
 * element (the {@code @Network} class) passed to {@link Filer#createSourceFile}, and the
 * processor asks the round for nothing but the elements annotated with {@code @Network}.
 */
class GradleIncrementalTest {

  private static final String DECLARATION = "META-INF/gradle/incremental.annotation.processors";
  private static final String SERVICES = "META-INF/services/javax.annotation.processing.Processor";

  @Test
  void everyRegisteredProcessorIsDeclaredIsolatingForGradle() throws IOException {
    List<String> declared = lines(DECLARATION);
    assertEquals(List.of(NetworkProcessor.class.getName() + ",isolating"), declared);
    // The processors javac finds (written by AutoService) are exactly the ones declared.
    assertEquals(List.of(NetworkProcessor.class.getName()), lines(SERVICES));
  }

  @Test
  void eachGeneratedFileHasItsNetworkAsOnlyOriginatingElement() {
    Recorder recorder = new Recorder();
    Compilation compilation = javac()
        .withProcessors(recorder.wrap(new NetworkProcessor()))
        .compile(
            Sources.network("Alpha", "@Network @SquaredError abstract class Alpha {\n"
                + "  @Input(3) Layer x;\n  @Dense(2) @Relu Layer h;\n  @Dense(1) Layer y;\n}\n"),
            Sources.network("Beta", "@Network @SoftmaxCrossEntropy abstract class Beta {\n"
                + "  @Input(4) Layer x;\n  @Dense(3) Layer y;\n}\n"),
            Sources.network("Helper", "final class Helper {\n  int unrelated;\n}\n"));
    assertThat(compilation).succeeded();
    Map<String, String> expected = new TreeMap<>();
    expected.put("test.AlphaModel", "test.Alpha");
    expected.put("test.BetaModel", "test.Beta");
    assertEquals(expected, recorder.sources);
    assertEquals(List.of(), recorder.otherFiles, "files made other than source files");
    // Isolating: the processor looks at nothing in the round but the @Network classes.
    Set<String> allowed = Set.of("getElementsAnnotatedWith", "processingOver", "errorRaised");
    assertTrue(allowed.containsAll(recorder.roundCalls), "round calls " + recorder.roundCalls);
    assertTrue(recorder.roundCalls.contains("getElementsAnnotatedWith"), "" + recorder.roundCalls);
  }

  private static List<String> lines(String resource) throws IOException {
    List<URL> urls = Collections.list(
        GradleIncrementalTest.class.getClassLoader().getResources(resource));
    assertEquals(1, urls.size(), resource + " on the class path: " + urls);
    try (InputStream in = urls.get(0).openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }
  }

  /** Wraps a processor to record what it asks of the round and of the filer. */
  private static final class Recorder {
    /** Generated source name to its originating elements, joined with commas. */
    final Map<String, String> sources = new TreeMap<>();
    final List<String> otherFiles = new ArrayList<>();
    final Set<String> roundCalls = new TreeSet<>();

    Processor wrap(Processor delegate) {
      return new Processor() {
        @Override
        public Set<String> getSupportedOptions() {
          return delegate.getSupportedOptions();
        }

        @Override
        public Set<String> getSupportedAnnotationTypes() {
          return delegate.getSupportedAnnotationTypes();
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
          return delegate.getSupportedSourceVersion();
        }

        @Override
        public void init(ProcessingEnvironment env) {
          Filer filer = proxy(Filer.class, env.getFiler(), (real, method, args) -> {
            if (method.getName().equals("createSourceFile")) {
              List<String> origins = new ArrayList<>();
              for (Element e : (Element[]) args[1]) {
                origins.add(((TypeElement) e).getQualifiedName().toString());
              }
              sources.put(args[0].toString(), String.join(",", origins));
            } else if (method.getName().startsWith("create")) {
              otherFiles.add(method.getName() + " " + args[1]);
            }
            return method.invoke(real, args);
          });
          delegate.init(proxy(ProcessingEnvironment.class, env, (real, method, args) ->
              method.getName().equals("getFiler") ? filer : method.invoke(real, args)));
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
          return delegate.process(annotations, proxy(RoundEnvironment.class, round,
              (real, method, args) -> {
                roundCalls.add(method.getName());
                return method.invoke(real, args);
              }));
        }

        @Override
        public Iterable<? extends Completion> getCompletions(Element element,
            AnnotationMirror annotation, ExecutableElement member, String userText) {
          return delegate.getCompletions(element, annotation, member, userText);
        }
      };
    }
  }

  /** What a proxy does with a call on {@code real}. */
  private interface Handler {
    Object handle(Object real, Method method, Object[] args) throws ReflectiveOperationException;
  }

  private static <T> T proxy(Class<T> type, T real, Handler handler) {
    InvocationHandler h = (p, method, args) -> {
      try {
        return handler.handle(real, method, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
  }
}
