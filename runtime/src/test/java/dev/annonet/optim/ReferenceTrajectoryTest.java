package dev.annonet.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Steps each optimizer on the problem of {@code reference/optim/make_optim_reference.py} and
 * compares every step with the trajectory PyTorch recorded in {@code optim_reference.csv}.
 */
class ReferenceTrajectoryTest {

  private static final String RESOURCE = "/reference/optim/optim_reference.csv";

  /** The Java optimizer for each case of the script, with the same settings. */
  private static final Map<String, Supplier<Optimizer>> CASES = new LinkedHashMap<>();

  static {
    CASES.put("sgd", () -> Sgd.defaults().lr(0.1f));
    CASES.put("sgd_weight_decay", () -> Sgd.defaults().lr(0.1f).weightDecay(0.05));
    CASES.put("sgd_momentum", () -> Momentum.heavyBall(0.9).lr(0.05f));
    CASES.put("sgd_momentum_dampening",
        () -> Momentum.heavyBall(0.8).lr(0.05f).dampening(0.3).weightDecay(0.01));
    CASES.put("sgd_nesterov", () -> Nesterov.defaults().lr(0.05f).momentum(0.9));
    CASES.put("sgd_nesterov_weight_decay",
        () -> Nesterov.defaults().lr(0.05f).momentum(0.7).weightDecay(0.1));
    CASES.put("adagrad", () -> AdaGrad.defaults().lr(0.5f));
    CASES.put("adagrad_options", () -> AdaGrad.defaults().lr(0.5f).lrDecay(0.1)
        .weightDecay(0.05).initialAccumulatorValue(0.2));
    CASES.put("rmsprop", () -> RmsProp.defaults().lr(0.01f));
    CASES.put("rmsprop_momentum_centered", () -> RmsProp.defaults().lr(0.01f).alpha(0.9)
        .momentum(0.5).centered(true).weightDecay(0.05));
    CASES.put("adam", () -> Adam.defaults().lr(0.1f));
    CASES.put("adam_weight_decay",
        () -> Adam.defaults().lr(0.1f).betas(0.8, 0.99).weightDecay(0.1));
    CASES.put("adam_amsgrad", () -> AmsGrad.defaults().lr(0.1f).betas(0.9, 0.5));
    CASES.put("adamw", () -> AdamW.defaults().lr(0.1f));
    CASES.put("adamw_strong_decay", () -> AdamW.defaults().lr(0.1f).weightDecay(0.5));
    CASES.put("momentum_lecture", () -> Momentum.lecture(0.9).lr(0.5f));
  }

  private static final Map<String, float[]> problem = new LinkedHashMap<>();
  private static final Map<String, List<double[]>> trajectories = new LinkedHashMap<>();

  @BeforeAll
  static void load() throws IOException {
    InputStream in = ReferenceTrajectoryTest.class.getResourceAsStream(RESOURCE);
    assertNotNull(in, "missing test resource " + RESOURCE + ": run make_optim_reference.py");
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split(",");
        if (f[0].equals("problem")) {
          float[] values = new float[f.length - 2];
          for (int i = 2; i < f.length; i++) {
            values[i - 2] = Float.parseFloat(f[i]);
          }
          problem.put(f[1], values);
          continue;
        }
        List<double[]> points = trajectories.computeIfAbsent(f[0], k -> new ArrayList<>());
        assertEquals(points.size(), Integer.parseInt(f[1]), "steps out of order in " + f[0]);
        double[] p = new double[f.length - 2];
        for (int i = 2; i < f.length; i++) {
          p[i - 2] = Double.parseDouble(f[i]);
        }
        points.add(p);
      }
    }
  }

  static Stream<String> cases() {
    return CASES.keySet().stream();
  }

  @Test
  void everyReferenceCaseHasAJavaOptimizerAndViceVersa() {
    assertEquals(new TreeSet<>(CASES.keySet()), new TreeSet<>(trajectories.keySet()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesPyTorchTrajectory(String name) {
    List<double[]> expected = trajectories.get(name);
    assertNotNull(expected, "no reference trajectory for " + name);
    Objective f =
        TestObjectives.quadSin(problem.get("c"), problem.get("d"), problem.get("sin")[0]);
    float[] theta = problem.get("theta0").clone();
    float[] grad = new float[theta.length];
    Optimizer optimizer = CASES.get(name).get();
    compare(name, 0, expected.get(0), theta);
    for (int step = 1; step < expected.size(); step++) {
      f.valueAndGradient(theta, grad);
      optimizer.step(theta, grad, optimizer.learningRate());
      compare(name, step, expected.get(step), theta);
    }
    assertEquals(expected.size() - 1, optimizer.steps(), name + ": step count");
  }

  private static void compare(String name, int step, double[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, name + ": dimension");
    for (int i = 0; i < expected.length; i++) {
      if (!Tolerances.closeFloat(expected[i], actual[i])) {
        fail(String.format("%s: step %d, index %d: expected %s (PyTorch), actual %s, diff %.3g",
            name, step, i, expected[i], actual[i], actual[i] - expected[i]));
      }
    }
  }
}
