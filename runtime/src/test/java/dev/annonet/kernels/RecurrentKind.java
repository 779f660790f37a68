package dev.annonet.kernels;

import java.util.List;

/** Test helper: the LSTM and GRU kernels behind one interface, so each test covers both. */
enum RecurrentKind {
  LSTM {
    @Override
    int gates() {
      return Lstm.GATES;
    }

    @Override
    int workSize(int batch, int steps, int nIn, int hidden) {
      return Lstm.workSize(batch, steps, nIn, hidden);
    }

    @Override
    void forward(float[] x, float[] p, int off, float[] out, boolean allSteps, float[] work,
        int batch, int steps, int nIn, int hidden) {
      Lstm.forward(x, p, off, out, allSteps, work, batch, steps, nIn, hidden);
    }

    @Override
    void backward(float[] dOut, boolean allSteps, float[] p, int off, float[] g, float[] dX,
        float[] work, int batch, int steps, int nIn, int hidden) {
      Lstm.backward(dOut, allSteps, p, off, g, dX, work, batch, steps, nIn, hidden);
    }

    @Override
    List<String> names() {
      return Lstm.PARAMETER_NAMES;
    }

    @Override
    int[][] shapes(int nIn, int hidden) {
      return Lstm.parameterShapes(nIn, hidden);
    }

    @Override
    int parameterCount(int nIn, int hidden) {
      return Lstm.parameterCount(nIn, hidden);
    }
  },
  GRU {
    @Override
    int gates() {
      return Gru.GATES;
    }

    @Override
    int workSize(int batch, int steps, int nIn, int hidden) {
      return Gru.workSize(batch, steps, nIn, hidden);
    }

    @Override
    void forward(float[] x, float[] p, int off, float[] out, boolean allSteps, float[] work,
        int batch, int steps, int nIn, int hidden) {
      Gru.forward(x, p, off, out, allSteps, work, batch, steps, nIn, hidden);
    }

    @Override
    void backward(float[] dOut, boolean allSteps, float[] p, int off, float[] g, float[] dX,
        float[] work, int batch, int steps, int nIn, int hidden) {
      Gru.backward(dOut, allSteps, p, off, g, dX, work, batch, steps, nIn, hidden);
    }

    @Override
    List<String> names() {
      return Gru.PARAMETER_NAMES;
    }

    @Override
    int[][] shapes(int nIn, int hidden) {
      return Gru.parameterShapes(nIn, hidden);
    }

    @Override
    int parameterCount(int nIn, int hidden) {
      return Gru.parameterCount(nIn, hidden);
    }
  };

  abstract int gates();

  abstract int workSize(int batch, int steps, int nIn, int hidden);

  abstract void forward(float[] x, float[] p, int off, float[] out, boolean allSteps,
      float[] work, int batch, int steps, int nIn, int hidden);

  abstract void backward(float[] dOut, boolean allSteps, float[] p, int off, float[] g,
      float[] dX, float[] work, int batch, int steps, int nIn, int hidden);

  abstract List<String> names();

  abstract int[][] shapes(int nIn, int hidden);

  abstract int parameterCount(int nIn, int hidden);

  /** Out's length: every step's h, or the last step's. */
  static int outLength(boolean allSteps, int batch, int steps, int hidden) {
    return allSteps ? batch * steps * hidden : batch * hidden;
  }
}
