package dev.annonet.data;

/**
 * Training windows for next-token prediction, cut from one long stream of token ids (a text
 * encoded by {@link CharVocabulary}).
 *
 * <p>Window {@code w} starts at {@code s = w * stride} and holds the inputs {@code ids[s .. s+T)}
 * and, at every position, the token that follows as the target: {@code ids[s+1 .. s+T+1)}. Its
 * rows are what {@link Dataset#tokens(int[][], int[][])} makes of those arrays, for a
 * {@code @TokenInput(length = T)} network with a class at every position. Windows start at 0,
 * stride, 2 stride, ... as long as the last target is in the stream: a stream of {@code n} ids
 * gives {@code (n - T - 1) / stride + 1} windows, and its last {@code (n - T - 1) % stride}
 * ids are left out.
 *
 * <p>The windows are copied out once, here, into the data set's flat arrays, {@code 8 T} bytes
 * per window; training then only copies rows into batches and allocates nothing. With stride 1
 * on 100 KB of text and T = 64 that is 50 MB: a larger stride (T / 2, T) cuts it.
 *
 * <pre>{@code
 * int[] ids = vocab.encode(text);
 * Dataset.Split data = TokenWindows.split(ids, 64, 1, 0.1);  // the last 10% held out
 * Trainer.of(model).validation(data.test())...fit(data.train());  // loss on unseen text
 * }</pre>
 */
public final class TokenWindows {
  private TokenWindows() {}

  /**
   * The windows of {@code length} inputs and {@code length} next-token targets that start every
   * {@code stride} ids in {@code ids}.
   *
   * @throws IllegalArgumentException if {@code length} or {@code stride} is below 1, an id is
   *     negative, or {@code ids} holds fewer than {@code length + 1} ids (one window)
   */
  public static Dataset of(int[] ids, int length, int stride) {
    return of(ids, 0, ids.length, length, stride);
  }

  /**
   * The windows of {@link #of(int[], int, int)} within {@code ids[from..to)} only: no input or
   * target comes from outside the range. Positions in messages count from 0 in {@code ids}.
   */
  public static Dataset of(int[] ids, int from, int to, int length, int stride) {
    if (from < 0 || to > ids.length || from > to) {
      throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + ids.length
          + " ids");
    }
    int windows = count(to - from, length, stride);
    float[] x = new float[windows * length];
    float[] y = new float[windows * length];
    for (int w = 0; w < windows; w++) {
      int start = from + w * stride;
      for (int t = 0; t < length; t++) {
        x[w * length + t] = id(ids, start + t);
        y[w * length + t] = id(ids, start + t + 1);
      }
    }
    // Built in place rather than through Dataset.tokens(int[][], int[][]), which would hold the
    // windows three more times (int rows, float rows, then flat) on the way: the same rows.
    return Dataset.checked(x, length, y, length);
  }

  /**
   * How many windows {@link #of(int[], int, int)} cuts from {@code tokens} ids:
   * {@code (tokens - length - 1) / stride + 1}.
   *
   * @throws IllegalArgumentException if that is none, or {@code length} or {@code stride} is
   *     below 1
   */
  public static int count(int tokens, int length, int stride) {
    if (length < 1) {
      throw new IllegalArgumentException("window length must be at least 1, got " + length
          + ": pass the network's @TokenInput length");
    }
    if (stride < 1) {
      throw new IllegalArgumentException("stride must be at least 1, got " + stride
          + ": 1 starts a window at every id, " + length + " gives windows that do not overlap");
    }
    if (tokens < length + 1) {
      throw new IllegalArgumentException(tokens + " ids are too few for one window of " + length
          + ": a window needs " + (length + 1) + " (its " + length + " inputs and the id after"
          + " them, the last target); use a longer text or a shorter window");
    }
    long windows = (long) (tokens - length - 1) / stride + 1;
    if (windows * length > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(windows + " windows of " + length + " ids do not fit in"
          + " one Java array: use a larger stride (" + length + " gives non-overlapping windows)");
    }
    return (int) windows;
  }

  /**
   * Where the held-out tail of a stream of {@code tokens} ids starts: the last
   * {@code round(validationFraction * tokens)} ids are {@code [splitPoint, tokens)}. Depends on
   * nothing else, so the split is the same on every run.
   *
   * @throws IllegalArgumentException if {@code validationFraction} is not strictly between 0
   *     and 1
   */
  public static int splitPoint(int tokens, double validationFraction) {
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("validationFraction must be between 0 and 1 "
          + "(exclusive), got " + validationFraction + ": 0.1 holds out the last tenth");
    }
    return tokens - (int) Math.round(validationFraction * tokens);
  }

  /**
   * The stream cut in two, without shuffling: {@code train} has the windows of the first ids and
   * {@code test} those of the last {@code round(validationFraction * ids.length)} ids ({@link
   * #splitPoint}), both with {@code length} and {@code stride}. No window crosses the cut, so
   * no id of the held-out text is ever an input or a target in training, and the validation
   * loss measures text the model has not seen (a shuffled split of overlapping windows would
   * leak it).
   *
   * @throws IllegalArgumentException if either part is shorter than one window, with the
   *     fraction that would make it long enough
   */
  public static Dataset.Split split(int[] ids, int length, int stride,
      double validationFraction) {
    int cut = splitPoint(ids.length, validationFraction);
    int need = Math.max(length, 1) + 1;
    if (ids.length < 2 * need) {
      throw new IllegalArgumentException(ids.length + " ids are too few for a training and a "
          + "validation window of " + length + ": each needs " + need + "; use a longer text or a "
          + "shorter window");
    }
    if (ids.length - cut < need) {
      throw new IllegalArgumentException("the held-out " + validationFraction + " of " + ids.length
          + " ids is " + (ids.length - cut) + " ids, fewer than the " + need + " of one window of "
          + length + ": hold out a larger fraction (at least " + fraction(need, ids.length)
          + ") or use a longer text");
    }
    if (cut < need) {
      throw new IllegalArgumentException("after holding out " + validationFraction + " of "
          + ids.length + " ids, " + cut + " are left for training, fewer than the " + need
          + " of one window of " + length + ": hold out a smaller fraction or use a longer text");
    }
    return new Dataset.Split(of(ids, 0, cut, length, stride),
        of(ids, cut, ids.length, length, stride));
  }

  /** The smallest fraction in thousandths whose held-out tail has {@code need} ids. */
  private static double fraction(int need, int tokens) {
    return Math.ceil(1000.0 * need / tokens) / 1000;
  }

  private static float id(int[] ids, int i) {
    int v = ids[i];
    if (v < 0 || v > 1 << 24) {
      throw new IllegalArgumentException("position " + i + " holds token id " + v + ": token ids"
          + " are indices 0, 1, 2, ... up to 2^24 (the largest a float holds exactly); re-encode"
          + " the text");
    }
    return v;
  }
}
