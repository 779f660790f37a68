package dev.annonet.examples.gpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.plot.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPT example in short: two epochs on the first 20,000 characters must bring the train and
 * the held-out loss well down from where the untrained model starts; sampling is seeded and
 * draws from the corpus's characters; the loss plot is written.
 */
class GptExampleTest {

  @Test
  void aShortRunLowersTheLossAndWritesText(@TempDir Path dir) throws IOException {
    GptExample.Run run = GptExample.train(3, 2, 20_000, GptExample.CONTEXT, Progress.quiet());
    double train = run.report().history().last().trainLoss();
    double validation = run.report().history().last().validation().loss();
    // Untrained, the model is about as good as a uniform guess over 86 characters, ln 86 = 4.45
    // (a little worse: its N(0, 1) embeddings make confident, random logits).
    assertTrue(run.startTrainLoss() > 4.0, "start train loss " + run.startTrainLoss());
    assertTrue(train < run.startTrainLoss() - 1.0,
        "train loss " + run.startTrainLoss() + " -> " + train);
    assertTrue(validation < run.startValidationLoss() - 1.0,
        "validation loss " + run.startValidationLoss() + " -> " + validation);

    String text = GptExample.sample(run, "%\n", 80, 0.8, 11);
    assertEquals(80, text.length());
    for (char c : text.toCharArray()) {
      assertTrue(run.vocabulary().contains(c), "'" + c + "' is not a character of the corpus");
    }
    assertEquals(text, GptExample.sample(run, "%\n", 80, 0.8, 11), "the same seed, the same text");

    Path png = GptExample.plot(run, dir);
    assertTrue(Files.size(png) > 1000, png + " is empty");
  }
}
