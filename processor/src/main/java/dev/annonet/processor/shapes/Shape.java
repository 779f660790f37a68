package dev.annonet.processor.shapes;

import java.util.Arrays;

/** The shape of one sample at a layer's output: {@code [n]} or {@code [c, h, w]}. */
public record Shape(int[] dims) {

  public static Shape vector(int n) {
    return new Shape(new int[] {n});
  }

  public boolean isVector() {
    return dims.length == 1;
  }

  /** Number of floats per sample (the caller has checked that it fits an int). */
  public int size() {
    return (int) longSize();
  }

  public long longSize() {
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** Written as {@code 6x24x24}, or {@code 128} for a vector. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < dims.length; i++) {
      s.append(i == 0 ? "" : "x").append(dims[i]);
    }
    return s.toString();
  }
}
