package dev.annonet.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.LayerInfo;
import dev.annonet.Model;
import dev.annonet.Task;
import dev.annonet.data.CharVocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Generation on a sliding context window, against a hand-written causal model that knows a
 * fixed text: greedy generation must reproduce it, which it does only if every step reads the
 * prediction at the right position of the right window.
 */
class GeneratorTest {
  /** Every three consecutive characters (cyclically) are followed by one character only. */
  private static final String TEXT = "Sphinx of black quartz, judge my vow.\n";
  private static final CharVocabulary VOCAB = CharVocabulary.of(TEXT);
  private static final int LENGTH = 8;

  /**
   * Predicts, at each position, the character that follows the last three ids up to that
   * position in the text (probability 0.7, the rest shared evenly), or a uniform distribution
   * when fewer than three ids or an unknown three: causal by construction. With {@code
   * everyPosition} false it predicts once, at the last position ({@code @LastStep}).
   */
  private static class TextModel implements Model {
    final boolean everyPosition;
    final int vocabulary = VOCAB.size();
    boolean training = true;
    int calls;

    TextModel(boolean everyPosition) {
      this.everyPosition = everyPosition;
    }

    @Override
    public void predict(float[] x, int batch, float[] out) {
      assertEquals(1, batch);
      assertFalse(training, "generation predicts in inference mode");
      calls++;
      StringBuilder seen = new StringBuilder();
      for (int t = 0; t < LENGTH; t++) {
        float id = x[t];
        assertTrue(id >= 0 && id < vocabulary && id == Math.rint(id), "id " + id);
        seen.append(VOCAB.charOf((int) id));
        if (everyPosition) {
          row(seen, out, t * vocabulary);
        }
      }
      if (!everyPosition) {
        row(seen, out, 0);
      }
    }

    private void row(CharSequence seen, float[] out, int offset) {
      int next = -1;
      if (seen.length() >= 3) {
        String last = seen.subSequence(seen.length() - 3, seen.length()).toString();
        int at = (TEXT + TEXT).indexOf(last);
        next = at < 0 ? -1 : VOCAB.id(TEXT.charAt((at + 3) % TEXT.length()));
      }
      for (int v = 0; v < vocabulary; v++) {
        out[offset + v] = next < 0 ? 1f / vocabulary
            : v == next ? 0.7f : 0.3f / (vocabulary - 1);
      }
    }

    @Override
    public String name() {
      return "TextModel";
    }

    @Override
    public int inputSize() {
      return LENGTH;
    }

    @Override
    public int outputSize() {
      return steps() * vocabulary;
    }

    @Override
    public int targetSize() {
      return steps();
    }

    @Override
    public int steps() {
      return everyPosition ? LENGTH : 1;
    }

    @Override
    public int vocabulary() {
      return vocabulary;
    }

    @Override
    public Task task() {
      return Task.MULTICLASS;
    }

    @Override
    public void setTraining(boolean training) {
      this.training = training;
    }

    @Override
    public boolean isTraining() {
      return training;
    }

    @Override
    public List<LayerInfo> layers() {
      return List.of();
    }

    @Override
    public float[] parameters() {
      return new float[0];
    }

    @Override
    public float[] gradients() {
      return new float[0];
    }

    @Override
    public void initialize(long seed) {}

    @Override
    public void reserve(int batch) {}

    @Override
    public float lossAndGradient(float[] x, float[] y, int batch) {
      throw new UnsupportedOperationException("generation never trains");
    }

    @Override
    public float loss(float[] x, float[] y, int batch) {
      throw new UnsupportedOperationException("generation never computes a loss");
    }

    @Override
    public Model copy() {
      return new TextModel(everyPosition);
    }
  }

  /** TEXT from {@code start} on, cyclically, {@code count} characters. */
  private static String cycle(int start, int count) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < count; i++) {
      s.append(TEXT.charAt((start + i) % TEXT.length()));
    }
    return s.toString();
  }

  @Test
  void greedyGenerationReproducesTheTextThroughTheSlidingWindow() {
    TextModel model = new TextModel(true);
    int count = 3 * TEXT.length();   // the window slides far past its length
    int[] ids = Generator.generate(model, VOCAB.encode("Sph"), count, Generator.greedy());
    assertEquals(cycle(3, count), VOCAB.decode(ids));
    // One predict per generated id, and one more to check that the model is causal.
    assertEquals(count + 1, model.calls);
  }

  @Test
  void aLongPromptIsCutToTheLastWindow() {
    TextModel model = new TextModel(true);
    String prompt = cycle(5, 30);   // longer than the window of 8
    int[] ids = Generator.generate(model, VOCAB.encode(prompt), 50, Generator.greedy());
    assertEquals(cycle(35, 50), VOCAB.decode(ids));
  }

  @Test
  void aModelThatPredictsOnceGetsTheLastFullWindow() {
    TextModel model = new TextModel(false);
    int[] ids = Generator.generate(model, VOCAB.encode(cycle(10, LENGTH)), 60,
        Generator.greedy());
    assertEquals(cycle(10 + LENGTH, 60), VOCAB.decode(ids));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Generator.generate(model, VOCAB.encode("Sphinx"), 5, Generator.greedy()));
    assertEquals("the prompt has 6 ids but TextModel needs at least 8, a full window, since it "
        + "predicts once per window: give a longer prompt", e.getMessage());
  }

  @Test
  void aModelThatLooksAheadIsRefusedForAShortContext() {
    // Predicts, at every position, the id at the end of the window.
    TextModel lookingAhead = new TextModel(true) {
      @Override
      public void predict(float[] x, int batch, float[] out) {
        for (int t = 0; t < LENGTH; t++) {
          for (int v = 0; v < vocabulary; v++) {
            out[t * vocabulary + v] = v == (int) x[LENGTH - 1] ? 0.7f : 0.3f / (vocabulary - 1);
          }
        }
      }
    };
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Generator.generate(lookingAhead, VOCAB.encode("Sph"), 5, Generator.greedy()));
    assertTrue(e.getMessage().startsWith("TextModel's prediction at position 2 changed from "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("the model is not causal, so a context shorter than its 8"
        + " positions cannot be read at its last id; give a prompt of 8 ids or more"),
        e.getMessage());
    // With a full window there is no padding to look at.
    Generator.generate(lookingAhead, VOCAB.encode(cycle(0, LENGTH)), 5, Generator.greedy());
  }

  @Test
  void samplingWithASeedIsRepeatableAndStreamsEachId() {
    List<Integer> streamed = new ArrayList<>();
    int[] a = Generator.generate(new TextModel(true), VOCAB.encode("Sph"), 200,
        Generator.sampling(1.0, 5, new SplittableRandom(8)), streamed::add);
    int[] b = Generator.generate(new TextModel(true), VOCAB.encode("Sph"), 200,
        Generator.sampling(1.0, 5, new SplittableRandom(8)));
    assertArrayEquals(a, b);
    assertEquals(a.length, streamed.size());
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], streamed.get(i), "id " + i);
    }
    // At temperature 1 the model's 0.3 of "something else" shows: the text is not reproduced.
    assertFalse(VOCAB.decode(a).equals(cycle(3, 200)));
  }

  @Test
  void aLowTemperatureFollowsTheText() {
    int[] ids = Generator.generate(new TextModel(true), VOCAB.encode("Sph"), 100,
        Generator.sampling(0.05, new SplittableRandom(1)));
    assertEquals(cycle(3, 100), VOCAB.decode(ids));
  }

  @Test
  void theModelIsLeftInTheModeItWasIn() {
    TextModel model = new TextModel(true);
    Generator.generate(model, VOCAB.encode("Sph"), 3, Generator.greedy());
    assertTrue(model.isTraining());
    model.setTraining(false);
    Generator.generate(model, VOCAB.encode("Sph"), 3, Generator.greedy());
    assertFalse(model.isTraining());
    assertEquals(0, Generator.generate(model, VOCAB.encode("S"), 0, Generator.greedy()).length);
  }

  @Test
  void badPromptsAndModelsAreNamed() {
    TextModel model = new TextModel(true);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Generator.generate(model, new int[] {0, 99}, 5, Generator.greedy()));
    assertEquals("prompt position 1 holds id 99, outside the vocabulary [0, " + VOCAB.size()
        + ") of TextModel: encode the prompt with the vocabulary the model was trained with",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Generator.generate(model, new int[0], 5, Generator.greedy()));
    assertTrue(e.getMessage().startsWith("the prompt has 0 ids but TextModel needs at least 1"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Generator.generate(model, new int[] {0}, 5, (p, offset, v) -> v));
    assertTrue(e.getMessage().startsWith("the NextToken chose id " + VOCAB.size()),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Generator.sampling(0, new SplittableRandom(0)));
    assertTrue(e.getMessage().contains("call Sampling.greedy"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Generator.sampling(1, 0, new SplittableRandom(0)));

    TextModel notTokens = new TextModel(true) {
      @Override
      public int vocabulary() {
        return 0;
      }
    };
    e = assertThrows(IllegalArgumentException.class,
        () -> Generator.generate(notTokens, new int[] {0}, 5, Generator.greedy()));
    assertTrue(e.getMessage().startsWith("TextModel is not a token classifier"), e.getMessage());
    TextModel narrow = new TextModel(true) {
      @Override
      public int outputSize() {
        return LENGTH * (vocabulary - 1);
      }
    };
    e = assertThrows(IllegalArgumentException.class,
        () -> Generator.generate(narrow, new int[] {0}, 5, Generator.greedy()));
    assertTrue(e.getMessage().contains("needs " + VOCAB.size() + " classes at every input "
        + "position"), e.getMessage());
  }
}
