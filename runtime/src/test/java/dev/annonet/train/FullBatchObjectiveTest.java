package dev.annonet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.annonet.Model;
import dev.annonet.data.Dataset;
import dev.annonet.optim.Objective;
import dev.annonet.optim.Optimizer;
import dev.annonet.testing.SquaredErrorModel;
import dev.annonet.testing.Synthetic;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The objective given to full-batch optimizers evaluates any theta without moving the model. */
class FullBatchObjectiveTest {

  private static final float[][] W = {{1f, -1f}};
  private static final float[] B = {0.5f};

  @Test
  void evaluatesForeignThetaAndRestoresTheParameters() {
    Dataset data = Synthetic.linear(80, W, B, 1);
    Model model = new SquaredErrorModel(2, 1);
    model.initialize(3);
    Model reference = model.copy();
    float[] probe = {0.25f, 2f, -1f};
    double[] seen = new double[2];
    float[] probeGradient = new float[3];
    float[][] paramsDuringStep = new float[1][];
    Optimizer probing = new Optimizer() {
      @Override
      public float learningRate() {
        return 0.1f;
      }

      @Override
      public void step(float[] theta, float[] grad, float lr) {
        throw new AssertionError("full batch only");
      }

      @Override
      public double step(float[] theta, float[] grad, float lr, Objective f, double value) {
        assertEquals(3, f.dimension());
        paramsDuringStep[0] = theta.clone();
        seen[0] = f.value(probe);
        seen[1] = f.valueAndGradient(probe, probeGradient);
        // The model's own parameters are back in place after each evaluation.
        assertArrayEquals(paramsDuringStep[0], theta);
        assertEquals(value, f.value(theta), 1e-6);
        return Double.NaN;
      }

      @Override
      public boolean needsObjective() {
        return true;
      }

      @Override
      public long steps() {
        return 0;
      }

      @Override
      public void reset() {}
    };
    Trainer.of(model).optimizer(probing).epochs(1).quiet().fit(data);

    System.arraycopy(probe, 0, reference.parameters(), 0, 3);
    reference.reserve(80);
    double expected = reference.lossAndGradient(data.features(), data.targets(), 80);
    assertEquals(expected, seen[0], 1e-6);
    assertEquals(expected, seen[1], 1e-6);
    assertArrayEquals(reference.gradients(), probeGradient, 1e-6f);
    assertArrayEquals(paramsDuringStep[0], model.parameters());
  }

  @Test
  void logsAndWritesHistory(@TempDir Path dir) throws Exception {
    // Not quiet: the per-epoch log line goes through System.Logger.
    TrainingReport r = Trainer.of(new SquaredErrorModel(2, 1))
        .optimizer(new dev.annonet.testing.TestSgd(0.1f)).epochs(2)
        .validation(Synthetic.linear(10, W, B, 3)).fit(Synthetic.linear(30, W, B, 2));
    Path csv = dir.resolve("history.csv");
    r.history().writeCsv(csv);
    assertEquals(r.history().toCsv(), Files.readString(csv));
    assertEquals(3, Files.readAllLines(csv).size());
  }
}
