package dev.annonet.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code [Annonet/Internal]}: whatever a stage throws, an {@link Error} included, becomes one
 * error on the network's class carrying the exception's text; javac does not crash and the
 * other networks of the round are still processed.
 */
class InternalErrorTest {
  private static final JavaFileObject BROKEN = mlp("Broken");
  private static final JavaFileObject FINE = mlp("Fine");

  private static JavaFileObject mlp(String name) {
    return Sources.network(name, "@Network\n@SquaredError\nabstract class " + name + " {\n"
        + "  @Input(4)  Layer x;\n  @Dense(1)  Layer y;\n}\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"read", "check", "note", "generate"})
  void internal(String failingStage) {
    NetworkProcessor processor = new NetworkProcessor((stage, network) -> {
      if (stage.equals(failingStage) && network.getSimpleName().contentEquals("Broken")) {
        throw new AssertionError("no " + stage + " stage for this kind");
      }
    });
    Compilation c = javac().withProcessors(processor).compile(BROKEN, FINE);
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[Annonet/Internal] Annonet could not process test.Broken because of an internal"
                + " error, please report it: java.lang.AssertionError: no " + failingStage
                + " stage for this kind")
        .inFile(BROKEN)
        .onLineContaining("abstract class Broken");
    // The next network is still checked (compile-testing shows no generated file once a
    // compilation has failed, so its summary stands for it).
    assertThat(c).hadNoteContaining("[Annonet] Fine: 4 -> 1, 5 parameters");
  }
}
