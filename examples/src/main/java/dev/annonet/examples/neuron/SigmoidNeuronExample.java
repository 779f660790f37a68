package dev.annonet.examples.neuron;

/**
 * The lecture's sigmoid neuron, {@code o = sigmoid(w0 + sum w_i x_i)} with
 * {@code L = 1/2 (o - y)^2}: prints the gradient the generated {@code SigmoidNeuronModel}
 * computes next to the hand-derived chain rule {@code dL/dw_i = (o - y) o (1 - o) x_i}
 * ({@code x_0 = 1} for the bias), then takes a few gradient steps.
 */
public final class SigmoidNeuronExample {
  private SigmoidNeuronExample() {}

  /** The hand-derived gradient: bias first, then the weights (PyTorch order is weights, bias). */
  static double[] handGradient(float[] w, float w0, float[] x, float y) {
    double z = w0;
    for (int i = 0; i < x.length; i++) {
      z += (double) w[i] * x[i];
    }
    double o = 1 / (1 + Math.exp(-z));
    double delta = (o - y) * o * (1 - o);
    double[] g = new double[x.length + 1];
    g[0] = delta;
    for (int i = 0; i < x.length; i++) {
      g[i + 1] = delta * x[i];
    }
    return g;
  }

  public static void main(String[] args) {
    SigmoidNeuronModel neuron = new SigmoidNeuronModel(1);
    float[] x = {0.5f, -1.0f, 2.0f};
    float[] y = {1.0f};
    float[] p = neuron.parameters(); // o.weight [1][3], then o.bias [1]
    float loss = neuron.lossAndGradient(x, y, 1);
    float[] g = neuron.gradients();
    double[] hand = handGradient(new float[] {p[0], p[1], p[2]}, p[3], x, y[0]);
    System.out.printf("x = (0.5, -1, 2), y = 1, L = %.6f%n", loss);
    System.out.println("parameter   generated      hand-derived (o - y) o (1 - o) x_i");
    System.out.printf("w0 (bias)   %+.8f   %+.8f%n", g[3], hand[0]);
    for (int i = 0; i < 3; i++) {
      System.out.printf("w%d          %+.8f   %+.8f%n", i + 1, g[i], hand[i + 1]);
    }
    System.out.println("gradient descent with step 1:");
    for (int step = 1; step <= 5; step++) {
      for (int k = 0; k < p.length; k++) {
        p[k] -= g[k];
      }
      loss = neuron.lossAndGradient(x, y, 1);
      System.out.printf("  step %d: L = %.6f, o = %.6f%n", step, loss, neuron.predict(x)[0]);
    }
  }
}
