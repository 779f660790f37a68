package dev.annonet.processor;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Property test of the identifiers the generator derives from layer names. Layer names are drawn
 * to collide: with what the generator builds from other names ({@code d} beside {@code out} once
 * gave two fields {@code dOut}; {@code outOut} beside {@code out} two constants
 * {@code OUT_OUT_C}), with the model's own fields, constants and method locals, with each other
 * up to case and underscores, with JavaPoet's format characters ({@code $L}), with the names of
 * imported classes and with Java keywords' neighbours. Every such network is valid, so every one
 * must compile, declare each identifier once, never shadow a field with a local, and pass the
 * gradient check.
 */
class LayerNameTest {
  private static final int NETWORKS = 240;

  /** Names that the generated class uses itself, or that are close to what it derives. */
  private static final String[] POOL = {
    "d", "out", "outOut", "Out", "OUT", "dOut", "out_", "out_2", "out2", "OUT_2", "o",
    "params", "grads", "batch", "training", "capacity", "dropoutState", "loss", "x", "y", "n",
    "k", "r", "sum", "scale", "seed", "rng", "other", "state", "input", "output", "target",
    "layers", "parameterCount", "PARAMETER_COUNT", "INPUT_SIZE", "LAYERS", "in", "size", "w", "b",
    "c", "W", "B", "C", "mask", "argmax", "xhat", "invStd", "runningMean", "running", "from",
    "$", "$$", "_$", "__", "$L", "$T", "$N", "$S", "$1L", "$$L", "int_", "Int", "iNT", "var",
    "record", "sealed", "permits", "é", "ß", "Ωmega", "ǅx", "x1", "x_1", "X1", "assert_",
    "gotoo", "nulll", "true_", "Arrays", "System", "Dense", "Conv2d", "Activation", "List",
    "Init", "Losses", "Merge", "Math", "Float", "String", "Object", "Model", "Layer", "Task",
    "LayerInfo", "SplittableRandom", "Override", "NetModel", "hashCode", "copy", "name",
  };

  /** What the generator appends to a name, or puts before it, to make identifiers. */
  private static final String[] SUFFIXES = {
    "Out", "Mask", "Argmax", "Xhat", "InvStd", "RunningMean", "RunningVar", "Running", "From",
    "_IN", "_OUT", "_C", "_W", "_B", "_SIZE", "_OUT_C", "_IN_C", "_K", "_2", "_", "2", "Grad",
  };

  @TestFactory
  Stream<DynamicTest> networksWithCollidingNames() {
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < NETWORKS; i++) {
      long seed = 5000 + i;
      String name = "Net" + i;
      String source =
          RandomNetworkTest.randomNetwork(name, new SplittableRandom(seed), LayerNameTest::name,
              true);
      tests.add(DynamicTest.dynamicTest(name, () -> check(name, source, seed)));
    }
    return tests.stream();
  }

  /** The two cases the hostile test found, and a merge whose scratch buffer meets a layer. */
  @Test
  void namesThatOnceCollided() throws Exception {
    check("DOut", "package test;\nimport dev.annonet.nn.*;\n@Network @SquaredError\n"
        + "abstract class DOut {\n  @Input(4) Layer x;\n  @Dense(3) Layer d;\n"
        + "  @Dense(2) Layer out;\n}\n", 1);
    check("OutOut", "package test;\nimport dev.annonet.nn.*;\n@Network @SquaredError\n"
        + "abstract class OutOut {\n  @Input({2, 3, 3}) Layer x;\n  @BatchNorm Layer outOut;\n"
        + "  @Conv2d(filters = 2, kernel = 1) Layer out;\n  @Flatten Layer f;\n  @Dense(2) Layer o;\n}\n", 2);
    check("Scratch", "package test;\nimport dev.annonet.nn.*;\n@Network @SquaredError\n"
        + "abstract class Scratch {\n  @Input(4) Layer x;\n  @Dense(4) @Tanh Layer a;\n"
        + "  @Dense(4) @Tanh Layer b;\n  @Add(from = \"a\") Layer c;\n"
        + "  @Dense(4) Layer aFromC;\n  @Dense(4) Layer dAFromC;\n  @Add(from = \"a\") Layer e;\n"
        + "  @Dense(2) Layer out;\n}\n", 3);
  }

  /** A name for {@code role}: from the pool, or derived from an earlier name. */
  static String name(String role, List<String> taken, SplittableRandom rng) {
    while (true) {
      String candidate;
      if (taken.isEmpty() || rng.nextInt(3) == 0) {
        candidate = POOL[rng.nextInt(POOL.length)];
      } else {
        String earlier = taken.get(rng.nextInt(taken.size()));
        candidate = switch (rng.nextInt(5)) {
          case 0 -> "d" + Character.toUpperCase(earlier.charAt(0)) + earlier.substring(1);
          case 1 -> swapCase(earlier);
          case 2 -> upperSnake(earlier);
          default -> earlier + SUFFIXES[rng.nextInt(SUFFIXES.length)];
        };
      }
      if (SourceVersion.isIdentifier(candidate) && !SourceVersion.isKeyword(candidate)
          && !taken.contains(candidate)) {
        return candidate;
      }
    }
  }

  private static String swapCase(String s) {
    char c = s.charAt(0);
    char swapped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
    return swapped + s.substring(1);
  }

  private static String upperSnake(String s) {
    return s.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
  }

  private static void check(String name, String source, long seed) throws Exception {
    Compilation c =
        javac().withProcessors(new NetworkProcessor())
            .compile(JavaFileObjects.forSourceString("test." + name, source));
    assertEquals(Compilation.Status.SUCCESS, c.status(),
        () -> "a valid network did not compile: " + c.diagnostics() + "\n" + source);
    String generated = generatedSource(c, name);
    checkIdentifiers(generated, source);
    assertTrue(RandomNetworkTest.checkNetwork(name, source, seed), source);
  }

  private static String generatedSource(Compilation c, String name) throws IOException {
    for (JavaFileObject f : c.generatedSourceFiles()) {
      if (f.toUri().getPath().endsWith("/" + name + "Model.java")) {
        return f.getCharContent(true).toString();
      }
    }
    throw new AssertionError("no " + name + "Model.java among " + c.generatedSourceFiles());
  }

  private static final Pattern FIELD =
      Pattern.compile("^  (?:(?:public|private|static|final) )+[\\w.\\[\\]<>]+ ([^\\s=;]+)",
          Pattern.MULTILINE);
  private static final Pattern LOCAL =
      Pattern.compile("(?:[(,] *|^ {4,})(?:final )?(?:int|long|float|double|boolean|float\\[\\]"
          + "|int\\[\\]|long\\[\\]|SplittableRandom|\\w+Model) ([^\\s=;,)]+)(?=[ ,)=;])",
          Pattern.MULTILINE);

  /**
   * Each field is declared once (javac would refuse a second anyway), and no method parameter or
   * local has a field's name: a local that shadows a layer's buffer would compile and compute
   * with the wrong array.
   */
  private static void checkIdentifiers(String generated, String source) {
    Set<String> fields = new HashSet<>();
    Matcher m = FIELD.matcher(generated);
    while (m.find()) {
      assertTrue(fields.add(m.group(1)), "field " + m.group(1) + " declared twice\n" + source);
    }
    assertTrue(fields.contains("params") && fields.contains("LAYERS"), generated);
    Matcher locals = LOCAL.matcher(generated);
    int found = 0;
    while (locals.find()) {
      found++;
      // setTraining(boolean training) sets this.training: the one shadowing meant as such.
      assertTrue(!fields.contains(locals.group(1)) || locals.group(1).equals("training"),
          "local or parameter " + locals.group(1) + " shadows a field\n" + source + "\n"
              + generated);
    }
    assertTrue(found > 5, "the pattern for locals found only " + found + " in\n" + generated);
  }
}
