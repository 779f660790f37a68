package dev.annonet.bench;

import dev.annonet.Model;
import dev.annonet.Task;
import dev.annonet.data.Dataset;
import java.util.SplittableRandom;

/**
 * The workloads' data, made as {@code torch_mlp.py} makes it: inputs drawn from N(0, 1); the
 * outputs of a fixed random teacher network of the same architecture standardized per output
 * unit over the data set; regression targets are those standardized outputs, class labels
 * their argmax. The values differ from PyTorch's (another generator), their shapes and
 * distribution do not, and the cost of a training step does not depend on them.
 */
final class SyntheticData {

  /** Rows per teacher forward pass. */
  private static final int CHUNK = 1024;

  private SyntheticData() {}

  /** {@code samples} rows of the workload's data, reproducible from {@code seed}. */
  static Dataset make(Workload workload, int samples, long seed) {
    if (workload.newModel(0).vocabulary() > 0) {
      return tokens(workload.newModel(0), samples, seed);
    }
    Model teacher = workload.newTeacher(seed + 1);
    teacher.setTraining(false);
    int inputs = teacher.inputSize();
    int outputs = teacher.outputSize();
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[samples * inputs];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    float[] out = new float[samples * outputs];
    teacher.reserve(CHUNK);
    float[] xChunk = new float[CHUNK * inputs];
    float[] outChunk = new float[CHUNK * outputs];
    for (int start = 0; start < samples; start += CHUNK) {
      int count = Math.min(CHUNK, samples - start);
      System.arraycopy(x, start * inputs, xChunk, 0, count * inputs);
      teacher.predict(xChunk, count, outChunk);
      System.arraycopy(outChunk, 0, out, start * outputs, count * outputs);
    }
    standardizeColumns(out, samples, outputs);
    Model student = workload.newModel(0);
    if (student.task() != Task.MULTICLASS) {
      return Dataset.of(x, inputs, out, outputs);
    }
    float[] labels = new float[samples];
    for (int r = 0; r < samples; r++) {
      int best = 0;
      for (int k = 1; k < outputs; k++) {
        if (out[r * outputs + k] > out[r * outputs + best]) {
          best = k;
        }
      }
      labels[r] = best;
    }
    return Dataset.of(x, inputs, labels, 1);
  }

  /**
   * {@code samples} sequences of {@code T + 1} tokens of a fixed random first-order Markov chain,
   * as {@code torch_seq.py} makes them: the first token uniform, each row of the transition
   * matrix a softmax of N(0, 2^2) logits; the input is the first T tokens, the target the last T
   * (the next token at every position).
   */
  static Dataset tokens(Model model, int samples, long seed) {
    int vocabulary = model.vocabulary();
    int steps = model.inputSize();
    SplittableRandom random = new SplittableRandom(seed);
    double[][] cumulative = new double[vocabulary][vocabulary];
    for (double[] row : cumulative) {
      double sum = 0;
      for (int k = 0; k < vocabulary; k++) {
        row[k] = Math.exp(2 * random.nextGaussian());
        sum += row[k];
      }
      double acc = 0;
      for (int k = 0; k < vocabulary; k++) {
        acc += row[k] / sum;
        row[k] = acc;
      }
    }
    float[] x = new float[samples * steps];
    float[] y = new float[samples * steps];
    for (int s = 0; s < samples; s++) {
      int token = random.nextInt(vocabulary);
      for (int t = 0; t < steps; t++) {
        x[s * steps + t] = token;
        double u = random.nextDouble() * cumulative[token][vocabulary - 1];
        int next = 0;
        while (next < vocabulary - 1 && cumulative[token][next] <= u) {
          next++;
        }
        token = next;
        y[s * steps + t] = token;
      }
    }
    return Dataset.of(x, steps, y, steps);
  }

  /** Subtracts each column's mean and divides by its sample standard deviation (n - 1). */
  static void standardizeColumns(float[] values, int rows, int cols) {
    for (int k = 0; k < cols; k++) {
      double sum = 0;
      for (int r = 0; r < rows; r++) {
        sum += values[r * cols + k];
      }
      double mean = sum / rows;
      double squares = 0;
      for (int r = 0; r < rows; r++) {
        double d = values[r * cols + k] - mean;
        squares += d * d;
      }
      double std = Math.max(Math.sqrt(squares / Math.max(1, rows - 1)), 1e-12);
      for (int r = 0; r < rows; r++) {
        values[r * cols + k] = (float) ((values[r * cols + k] - mean) / std);
      }
    }
  }
}
