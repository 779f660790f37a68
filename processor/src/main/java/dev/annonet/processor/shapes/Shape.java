package dev.annonet.processor.shapes;

import java.util.Arrays;

/**
 * The shape of one sample at a layer's output, of one of four kinds: a vector {@code [n]}, an
 * image {@code [c, h, w]}, a token sequence ({@code T} ids from a vocabulary of {@code V}, one
 * float per id) or a real sequence {@code [T][d]} (position after position).
 *
 * <h2>Sequences, for layer kinds that take them</h2>
 *
 * <p>A sequence's {@link #steps()} is T, its {@link #features()} d (a token sequence's {@link
 * #vocabulary()} V). A layer states its rule in {@code outputShape} with {@code ShapeContext}'s
 * checks, each of which reports the mismatch with both shapes and the fix:
 *
 * <ul>
 *   <li>"I take {@code seq T x d} and return {@code seq T x h}" (a recurrent or attention layer):
 *       {@code if (!c.realSequenceInput(this)) return null; return c.in().withFeatures(h);}
 *   <li>"I take {@code seq T x d} and return a vector" (a head such as {@code @LastStep}): the
 *       same check, then {@code return Shape.vector(c.in().features());}
 *   <li>"I work at every position" (as {@code @Dense} does): read {@code features()} where a
 *       vector layer reads {@code size()}, and run the vector kernel on {@code batch * steps()}
 *       rows.
 * </ul>
 *
 * <p>Vector and image layers call {@code c.vectorOrImageInput(this)} to refuse sequences.
 *
 * @param kind which of the four
 * @param dims {@code [n]}, {@code [c, h, w]}, {@code [T, V]} for tokens, {@code [T, d]}
 */
public record Shape(Kind kind, int[] dims) {

  /** The four kinds of sample. */
  public enum Kind {
    VECTOR,
    IMAGE,
    TOKENS,
    SEQUENCE
  }

  /** A vector for one size, an image for three. */
  public Shape(int[] dims) {
    this(dims.length == 1 ? Kind.VECTOR : Kind.IMAGE, dims);
  }

  public static Shape vector(int n) {
    return new Shape(new int[] {n});
  }

  /** {@code length} token ids, each in {@code [0, vocabulary)}. */
  public static Shape tokens(int length, int vocabulary) {
    return new Shape(Kind.TOKENS, new int[] {length, vocabulary});
  }

  /** {@code length} positions of {@code features} real values. */
  public static Shape sequence(int length, int features) {
    return new Shape(Kind.SEQUENCE, new int[] {length, features});
  }

  public boolean isVector() {
    return kind == Kind.VECTOR;
  }

  /** A token or a real sequence. */
  public boolean isSequence() {
    return kind == Kind.TOKENS || kind == Kind.SEQUENCE;
  }

  public boolean isTokens() {
    return kind == Kind.TOKENS;
  }

  /** A sequence of real values {@code [T][d]}. */
  public boolean isRealSequence() {
    return kind == Kind.SEQUENCE;
  }

  /** A sequence's positions, T. */
  public int steps() {
    return dims[0];
  }

  /** A real sequence's values per position, d; a vector's size. */
  public int features() {
    return kind == Kind.VECTOR ? dims[0] : dims[1];
  }

  /** A token sequence's vocabulary, V. */
  public int vocabulary() {
    return dims[1];
  }

  /** This sequence with {@code d} values per position: {@code seq T x d}. */
  public Shape withFeatures(int d) {
    return sequence(steps(), d);
  }

  /** Number of floats per sample (the caller has checked that it fits an int). */
  public int size() {
    return (int) longSize();
  }

  /** Floats per sample: one per token id, {@code T * d} for a real sequence. */
  public long longSize() {
    if (kind == Kind.TOKENS) {
      return dims[0];
    }
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && kind == s.kind && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return 31 * kind.hashCode() + Arrays.hashCode(dims);
  }

  /**
   * Written as {@code 6x24x24}, {@code 128} for a vector, {@code tokens 64 (vocab 65)} and
   * {@code seq 64x128} for sequences.
   */
  @Override
  public String toString() {
    return switch (kind) {
      case TOKENS -> "tokens " + dims[0] + " (vocab " + dims[1] + ")";
      case SEQUENCE -> "seq " + dims[0] + "x" + dims[1];
      default -> {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
          s.append(i == 0 ? "" : "x").append(dims[i]);
        }
        yield s.toString();
      }
    };
  }
}
