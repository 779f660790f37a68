package dev.annonet.generate;

import dev.annonet.Model;
import dev.annonet.Task;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Generates token ids one at a time from a trained token model, feeding each back as input:
 * the loop of a character-level language model's sampling.
 *
 * <pre>{@code
 * int[] ids = Generator.generate(model, vocab.encode("The "), 300,
 *     Generator.sampling(0.8, new SplittableRandom(7)), id -> System.out.print(vocab.charOf(id)));
 * }</pre>
 *
 * <p>The model is a {@link Task#MULTICLASS} network on {@code @TokenInput(length = T, vocabulary
 * = V)} whose output is either
 *
 * <ul>
 *   <li>a class at every position, {@code [T][V]} ({@link Model#steps()} = T): the context, the
 *       last {@code min(T, ids so far)} ids, fills positions {@code 0 .. c-1} and the
 *       prediction at position {@code c - 1} picks the next id. Positions {@code c .. T-1} hold
 *       copies of the last id; this reads the right prediction only for a <em>causal</em>
 *       model, whose output at a position depends on that position and the ones before it
 *       (causal self-attention, recurrent layers, per-position layers), the kind trained on
 *       {@link dev.annonet.data.TokenWindows}. From T ids on, the window slides: the last T
 *       ids, read at position T - 1. The first window shorter than T is checked once: a
 *       model whose prediction there changes with the padding is refused.
 *   <li>one class per sample, {@code [V]} ({@code steps() = 1}, after {@code @LastStep}): the
 *       last T ids, so the prompt needs at least T.
 * </ul>
 *
 * <p>Each step is one {@code predict} of a batch of one, in inference mode (dropout off); the
 * model's mode is restored afterwards. The buffers are allocated once per call.
 */
public final class Generator {
  private Generator() {}

  /** Chooses the next id from one row of a model's output probabilities. */
  @FunctionalInterface
  public interface NextToken {
    /**
     * The next id, in {@code [0, vocabulary)}, from the probabilities {@code
     * probabilities[offset .. offset + vocabulary)}.
     */
    int choose(float[] probabilities, int offset, int vocabulary);
  }

  /** Always the most likely id ({@link Sampling#greedy}): deterministic. */
  public static NextToken greedy() {
    return Sampling::greedy;
  }

  /**
   * A draw at {@code temperature} from all ids ({@link Sampling#sampleProbabilities}), using
   * {@code random}: the same seed gives the same text.
   */
  public static NextToken sampling(double temperature, SplittableRandom random) {
    return sampling(temperature, Integer.MAX_VALUE, random);
  }

  /**
   * A draw at {@code temperature} from the {@code topK} most likely ids; a {@code topK} of the
   * vocabulary size or more keeps every id.
   *
   * @throws IllegalArgumentException for a temperature that is not a finite number above 0, or
   *     a {@code topK} below 1
   */
  public static NextToken sampling(double temperature, int topK, SplittableRandom random) {
    Sampling.checkTemperature(temperature);   // fail on bad settings before generating
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be at least 1, got " + topK
          + ": 1 is greedy, Integer.MAX_VALUE keeps every id");
    }
    return (p, offset, v) ->
        Sampling.sampleProbabilities(p, offset, v, temperature, Math.min(topK, v), random);
  }

  /** {@link #generate(Model, int[], int, NextToken, IntConsumer)} without a listener. */
  public static int[] generate(Model model, int[] prompt, int count, NextToken next) {
    return generate(model, prompt, count, next, id -> { });
  }

  /**
   * The {@code count} ids that follow {@code prompt}, each chosen by {@code next} from the
   * model's prediction after the ids before it, and passed to {@code onToken} as soon as it is
   * chosen (to print text as it comes).
   *
   * @throws IllegalArgumentException if the model is not a token classifier whose classes are
   *     its input ids, the prompt is empty (or, for a one-class-per-sample model, shorter than
   *     T), a prompt id is outside the vocabulary, or {@code next} returns one
   */
  public static int[] generate(Model model, int[] prompt, int count, NextToken next,
      IntConsumer onToken) {
    int length = model.inputSize();
    int vocabulary = model.vocabulary();
    boolean everyPosition = checkModel(model, length, vocabulary);
    checkPrompt(model, prompt, everyPosition ? 1 : length, vocabulary);
    if (count < 0) {
      throw new IllegalArgumentException("count must be at least 0, got " + count);
    }
    int[] ids = Arrays.copyOf(prompt, prompt.length + count);
    float[] x = new float[length];
    float[] out = new float[model.outputSize()];
    boolean training = model.isTraining();
    model.setTraining(false);
    try {
      boolean causal = false;
      for (int n = prompt.length; n < ids.length; n++) {
        int context = Math.min(n, length);
        for (int t = 0; t < length; t++) {
          x[t] = ids[n - context + Math.min(t, context - 1)];
        }
        model.predict(x, 1, out);
        if (context < length && !causal) {
          requireCausal(model, x, context, out, vocabulary);
          causal = true;
        }
        int id = next.choose(out, everyPosition ? (context - 1) * vocabulary : 0, vocabulary);
        if (id < 0 || id >= vocabulary) {
          throw new IllegalArgumentException("the NextToken chose id " + id + ", outside the "
              + "vocabulary [0, " + vocabulary + "): it must return an index into the row");
        }
        ids[n] = id;
        onToken.accept(id);
      }
    } finally {
      model.setTraining(training);
    }
    return Arrays.copyOfRange(ids, prompt.length, ids.length);
  }

  /**
   * Throws unless the prediction at position {@code context - 1} stays the same when the
   * padding after it changes, as it does for a causal model: once per call, on the first
   * window shorter than T, at the cost of one more predict. {@code out} holds the prediction for
   * {@code x}; both are left as they were.
   */
  private static void requireCausal(Model model, float[] x, int context, float[] out,
      int vocabulary) {
    if (vocabulary < 2) {
      return;
    }
    float[] padded = x.clone();
    float other = (x[context - 1] + 1) % vocabulary;
    Arrays.fill(padded, context, padded.length, other);
    float[] check = new float[out.length];
    model.predict(padded, 1, check);
    int row = (context - 1) * vocabulary;
    for (int v = 0; v < vocabulary; v++) {
      float a = out[row + v];
      float b = check[row + v];
      // Kernels may sum in another order for other inputs: allow float rounding, not more.
      if (!(Math.abs(a - b) <= 1e-5f + 1e-4f * Math.max(Math.abs(a), Math.abs(b)))) {
        throw new IllegalArgumentException(model.name() + "'s prediction at position "
            + (context - 1) + " changed from " + a + " to " + b + " (class " + v + ") when the"
            + " ids after it did: the model is not causal, so a context shorter than its "
            + model.inputSize() + " positions cannot be read at its last id; give a prompt of "
            + model.inputSize() + " ids or more");
      }
    }
  }

  /** Whether the model classifies every position (else once per sample), after checking it. */
  private static boolean checkModel(Model model, int length, int vocabulary) {
    if (vocabulary <= 0 || model.task() != Task.MULTICLASS) {
      throw new IllegalArgumentException(model.name() + " is not a token classifier: "
          + "generation needs a network on @TokenInput with @SoftmaxCrossEntropy, whose "
          + "classes are the next token");
    }
    int steps = model.steps();
    boolean everyPosition = steps == length && steps > 1;
    if (!(everyPosition || steps == 1) || model.outputSize() != steps * vocabulary) {
      throw new IllegalArgumentException(model.name() + " predicts " + model.outputSize()
          + " values over " + steps + " position(s) but takes " + length + " token ids of "
          + vocabulary + ": generation feeds each prediction back as input, so the output "
          + "needs " + vocabulary + " classes at every input position ([" + length + "]["
          + vocabulary + "]) or once ([" + vocabulary + "])");
    }
    return everyPosition;
  }

  private static void checkPrompt(Model model, int[] prompt, int least, int vocabulary) {
    if (prompt.length < least) {
      throw new IllegalArgumentException("the prompt has " + prompt.length + " ids but "
          + model.name() + " needs at least " + least + (least > 1
              ? ", a full window, since it predicts once per window: give a longer prompt"
              : ": give one (for example the id of a newline)"));
    }
    for (int i = 0; i < prompt.length; i++) {
      if (prompt[i] < 0 || prompt[i] >= vocabulary) {
        throw new IllegalArgumentException("prompt position " + i + " holds id " + prompt[i]
            + ", outside the vocabulary [0, " + vocabulary + ") of " + model.name()
            + ": encode the prompt with the vocabulary the model was trained with");
      }
    }
  }
}
