package dev.annonet.processor;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.annonet.GradientCheck;
import dev.annonet.Model;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Property test: random stacks of layers, valid or not. Each must either compile, without
 * warnings, into a model whose gradient matches finite differences, or be rejected with
 * Annonet's own errors; the processor must never fail internally, and generated code must never
 * fail to compile.
 */
class RandomNetworkTest {
  private static final int NETWORKS = 160;
  private static final String[] ACTIVATIONS = {"", "@Relu ", "@Tanh ", "@Sigmoid ",
      "@LeakyRelu(0.1) ", "@Gelu ", "@Gelu(approximate = \"tanh\") "};
  private static final String[] LOSSES = {"@SquaredError", "@SoftmaxCrossEntropy",
      "@BinaryCrossEntropy", "@HalfSquaredError", "@Huber(0.5)"};

  @TestFactory
  Stream<DynamicTest> randomNetworks() {
    return checkedNetworks("Net", 1000, NETWORKS, 5, "random networks",
        (name, rng) -> randomNetwork(name, rng, PLAIN_NAMES, false));
  }

  /**
   * One test per network that {@code generator} writes, named {@code prefix + i} from the seed
   * {@code firstSeed + i}, each checked by {@link #checkNetwork}; then one requiring that at
   * least one in {@code share} compiled, so that a generator making only invalid networks fails.
   */
  static Stream<DynamicTest> checkedNetworks(String prefix, long firstSeed, int count, int share,
      String what, BiFunction<String, SplittableRandom, String> generator) {
    int[] compiled = {0};
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long seed = firstSeed + i;
      String name = prefix + i;
      String source = generator.apply(name, new SplittableRandom(seed));
      tests.add(DynamicTest.dynamicTest(name, () -> {
        if (checkNetwork(name, source, seed)) {
          compiled[0]++;
        }
      }));
    }
    tests.add(
        DynamicTest.dynamicTest(
            "a fair share compiled",
            () -> assertTrue(compiled[0] >= count / share, compiled[0] + " of " + count + " "
                + what + " compiled: the generator makes too few valid ones")));
    return tests.stream();
  }

  /** Chooses a layer's field name, given its role and the names taken before it. */
  interface Namer {
    /** A name for a layer in {@code role} (input, layer, flatten, output) not in {@code taken}. */
    String name(String role, List<String> taken, SplittableRandom rng);
  }

  /** {@code x}, {@code l0}, {@code l1}, ..., {@code flat}, {@code out}. */
  static final Namer PLAIN_NAMES = (role, taken, rng) -> switch (role) {
    case "input" -> "x";
    case "flatten" -> "flat";
    case "output" -> "out";
    default -> "l" + (taken.size() - 1);
  };

  /**
   * A random network: an input, one to five layers and an output layer with a loss, named by
   * {@code namer}. Most layers are chosen to fit the current shape (so that many networks are
   * valid); unless {@code validOnly}, one in six is any layer with any settings, valid or not.
   */
  static String randomNetwork(String name, SplittableRandom rng, Namer namer, boolean validOnly) {
    StringBuilder s = new StringBuilder("package test;\nimport dev.annonet.nn.*;\n");
    String loss = LOSSES[rng.nextInt(LOSSES.length)];
    s.append("@Network ").append(loss).append("\nabstract class ").append(name).append(" {\n");
    List<String> names = new ArrayList<>();
    List<int[]> shapes = new ArrayList<>();
    int[] shape = rng.nextBoolean()
        ? new int[] {1 + rng.nextInt(6)}
        : new int[] {1 + rng.nextInt(3), 3 + rng.nextInt(6), 3 + rng.nextInt(6)};
    String input = namer.name("input", names, rng);
    s.append("  @Input(").append(shape.length == 1 ? String.valueOf(shape[0])
        : "{" + shape[0] + ", " + shape[1] + ", " + shape[2] + "}").append(") Layer ")
        .append(input).append(";\n");
    names.add(input);
    shapes.add(shape);
    int layers = 1 + rng.nextInt(5);
    for (int i = 0; i < layers; i++) {
      String act = ACTIVATIONS[rng.nextInt(ACTIVATIONS.length)];
      String layer;
      if (!validOnly && rng.nextInt(6) == 0) {
        layer = anyLayer(rng, names, act);
      } else if (rng.nextInt(6) == 0) {
        layer = switch (rng.nextInt(3)) {
          case 0 -> "@Dropout(0.25) ";
          case 1 -> "@BatchNorm " + act;
          default -> "@LayerNorm " + act;
        };
      } else if (shape.length == 1) {
        int choice = rng.nextInt(4);
        List<String> same = sameShape(names, shapes, shape);
        if (choice == 0 && !same.isEmpty()) {
          layer = "@Add(from = \"" + same.get(rng.nextInt(same.size())) + "\") " + act;
        } else if (choice == 1) {
          List<String> vectors = sameShape(names, shapes, null);
          String from = vectors.get(rng.nextInt(vectors.size()));
          layer = "@Concat(from = \"" + from + "\") " + act;
          shape = new int[] {shape[0] + shapes.get(names.indexOf(from))[0]};
        } else {
          shape = new int[] {1 + rng.nextInt(6)};
          layer = "@Dense(" + shape[0] + ") " + act;
        }
      } else {
        int choice = rng.nextInt(5);
        int h = shape[1];
        int w = shape[2];
        if (choice <= 1) {
          int k = 1 + rng.nextInt(Math.min(3, Math.min(h, w)));
          int filters = 1 + rng.nextInt(3);
          boolean same = k % 2 == 1 && rng.nextInt(3) == 0;
          int pad = same ? (k - 1) / 2 : rng.nextInt(2);
          // SAME keeps the size only with stride 1.
          int stride = !same && (h + 2 * pad - k) % 2 == 0 && (w + 2 * pad - k) % 2 == 0
              && rng.nextBoolean() ? 2 : 1;
          layer = "@Conv2d(filters = " + filters + ", kernel = " + k + ", stride = " + stride
              + ", padding = " + (same ? "dev.annonet.nn.Conv2d.SAME" : String.valueOf(pad)) + ") " + act;
          shape = new int[] {filters, (h + 2 * pad - k) / stride + 1,
              (w + 2 * pad - k) / stride + 1};
        } else if (choice == 2 && h % 2 == 0 && w % 2 == 0) {
          layer = (rng.nextBoolean() ? "@MaxPool(2) " : "@AvgPool(2) ");
          shape = new int[] {shape[0], h / 2, w / 2};
        } else if (choice == 3 && !sameShape(names, shapes, shape).isEmpty()) {
          List<String> same = sameShape(names, shapes, shape);
          layer = "@Add(from = \"" + same.get(rng.nextInt(same.size())) + "\") " + act;
        } else {
          layer = "@Flatten ";
          shape = new int[] {shape[0] * h * w};
        }
      }
      String field = namer.name("layer", names, rng);
      s.append("  ").append(layer).append("Layer ").append(field).append(";\n");
      names.add(field);
      shapes.add(shape);
    }
    int out = loss.equals("@BinaryCrossEntropy") ? 1 : 2 + rng.nextInt(3);
    if (shape.length == 3) {
      String flat = namer.name("flatten", names, rng);
      s.append("  @Flatten Layer ").append(flat).append(";\n");
      names.add(flat);
    }
    s.append("  @Dense(").append(out).append(") Layer ")
        .append(namer.name("output", names, rng)).append(";\n}\n");
    return s.toString();
  }

  /** Earlier layers with exactly {@code shape}; with null, every earlier vector layer. */
  private static List<String> sameShape(List<String> names, List<int[]> shapes, int[] shape) {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (shape == null ? shapes.get(i).length == 1 : java.util.Arrays.equals(shapes.get(i), shape)) {
        list.add(names.get(i));
      }
    }
    return list;
  }

  /** Any layer kind with any settings, including sizes of zero and unknown names. */
  private static String anyLayer(SplittableRandom rng, List<String> names, String act) {
    return switch (rng.nextInt(8)) {
      case 0 -> "@Dense(" + rng.nextInt(4) + ") " + act;
      case 1 -> "@Conv2d(filters = " + rng.nextInt(3) + ", kernel = " + (1 + rng.nextInt(6))
          + ", stride = " + (1 + rng.nextInt(3)) + ", padding = "
          + (rng.nextInt(4) == 0 ? "dev.annonet.nn.Conv2d.SAME" : String.valueOf(rng.nextInt(3))) + ") " + act;
      case 2 -> (rng.nextBoolean() ? "@MaxPool(value = " : "@AvgPool(value = ")
          + (1 + rng.nextInt(4)) + ", stride = " + rng.nextInt(3) + ") " + act;
      case 3 -> "@Flatten " + act;
      case 4 -> "@Add(from = \"" + names.get(rng.nextInt(names.size())) + "\") " + act;
      case 5 -> "@Concat(from = {\"" + names.get(rng.nextInt(names.size())) + "\", \"nowhere\"}) ";
      case 6 -> "@Dropout(" + (rng.nextInt(3) - 1) * 0.6 + ") " + act;
      default -> "@Input(" + rng.nextInt(3) + ") ";
    };
  }

  /**
   * Compiles {@code source}: true if it compiled into a model that passes the gradient check,
   * false if Annonet rejected it with its own errors; fails the test otherwise.
   */
  static boolean checkNetwork(String name, String source, long seed) throws Exception {
    JavaFileObject file = JavaFileObjects.forSourceString("test." + name, source);
    Compilation c = javac().withProcessors(new NetworkProcessor()).compile(file);
    if (c.status() == Compilation.Status.SUCCESS) {
      Model model = load(c, "test." + name + "Model", seed);
      // Dropout's training-mode loss is random: such networks are checked in inference mode,
      // and one in two of the others too, so that both modes of batch norm are covered.
      if (source.contains("@Dropout") || seed % 2 == 0) {
        model.setTraining(false);
      }
      // ReLU and max-pool kinks make finite differences meaningless at some points; a wrong
      // gradient is wrong at every point, so one clean pass out of three draws of parameters
      // and data is required. Biases start at zero, which puts padded outputs exactly on a
      // kink: every draw perturbs all parameters.
      SplittableRandom rng = new SplittableRandom(seed);
      GradientCheck.Result result = null;
      for (int attempt = 0; attempt < 3; attempt++) {
        float[] p = model.parameters();
        for (int k = 0; k < p.length; k++) {
          p[k] += (float) (0.2 * (rng.nextDouble() - 0.5));
        }
        result = GradientCheck.check(model, 2, seed + 17 * attempt);
        if (result.passed()) {
          return true;
        }
      }
      fail(result.message() + " (and on two other draws)\n" + source);
    }
    for (Diagnostic<? extends JavaFileObject> d : c.errors()) {
      String message = d.getMessage(null);
      if (!message.startsWith("[Annonet/") || message.startsWith("[Annonet/Internal]")) {
        fail("not one of Annonet's own errors: " + message + "\n" + source);
      }
    }
    return false;
  }

  /** Loads a generated model from the compilation's class files and seeds it. */
  private static Model load(Compilation c, String className, long seed) throws Exception {
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject f : c.generatedFiles()) {
      if (f.getKind() == JavaFileObject.Kind.CLASS) {
        String path = f.toUri().getPath();
        String binary = path.substring(path.indexOf("/test/") + 1, path.length() - 6)
            .replace('/', '.');
        try (InputStream in = f.openInputStream()) {
          classes.put(binary, in.readAllBytes());
        }
      }
    }
    ClassLoader loader = new ClassLoader(RandomNetworkTest.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String binaryName) throws ClassNotFoundException {
        byte[] bytes = classes.get(binaryName);
        if (bytes == null) {
          throw new ClassNotFoundException(binaryName);
        }
        return defineClass(binaryName, bytes, 0, bytes.length);
      }
    };
    return (Model) loader.loadClass(className).getConstructor(long.class).newInstance(seed);
  }

}
