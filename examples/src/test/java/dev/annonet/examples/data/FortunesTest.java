package dev.annonet.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.annonet.data.CharVocabulary;
import dev.annonet.data.Dataset;
import dev.annonet.data.TokenWindows;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/**
 * The bundled text corpus: small, plain ASCII, records ending in {@code %} lines, its licence
 * beside it, and a character vocabulary that round-trips it.
 */
class FortunesTest {
  private static final String TEXT = ExampleData.fortunes();

  private static String resource(String name) throws IOException {
    try (InputStream in = ExampleData.class.getResourceAsStream(
        "/dev/annonet/examples/text/" + name)) {
      assertNotNull(in, name + " is not beside fortunes.txt");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theCorpusIsSmallPlainAscii() {
    assertTrue(TEXT.length() > 50_000 && TEXT.length() < 200_000,
        TEXT.length() + " bytes: a corpus this size trains in minutes and ships in the jar");
    for (int i = 0; i < TEXT.length(); i++) {
      char c = TEXT.charAt(i);
      assertTrue(c == '\n' || c == '\t' || (c >= ' ' && c <= '~'),
          "position " + i + " holds U+" + Integer.toHexString(c) + ": only tab, newline and "
              + "printable ASCII");
    }
  }

  @Test
  void everyRecordEndsWithAPercentLine() {
    assertTrue(TEXT.endsWith("\n%\n"), "the last record is closed");
    String[] records = TEXT.split("\n%\n", -1);
    assertEquals("", records[records.length - 1]);
    for (int r = 0; r < records.length - 1; r++) {
      assertTrue(!records[r].isBlank(), "record " + r + " is empty");
      for (String line : records[r].split("\n")) {
        assertTrue(!line.equals("%"), "record " + r + " holds a separator line");
      }
    }
    assertTrue(records.length > 500, records.length + " records");
  }

  @Test
  void theVocabularyRoundTripsTheCorpus() {
    CharVocabulary vocab = CharVocabulary.of(TEXT);
    BitSet distinct = new BitSet();
    TEXT.chars().forEach(distinct::set);
    assertEquals(distinct.cardinality(), vocab.size());
    int[] ids = vocab.encode(TEXT);
    assertEquals(TEXT, vocab.decode(ids));
    assertEquals(vocab, CharVocabulary.fromChars(vocab.chars()));
  }

  @Test
  void theCorpusCutsIntoTrainingAndValidationWindows() {
    int[] ids = CharVocabulary.of(TEXT).encode(TEXT);
    int length = 64;
    Dataset.Split split = TokenWindows.split(ids, length, length / 2, 0.1);
    int cut = TokenWindows.splitPoint(ids.length, 0.1);
    assertEquals(TokenWindows.count(cut, length, length / 2), split.train().size());
    assertEquals(TokenWindows.count(ids.length - cut, length, length / 2), split.test().size());
    // The held-out tail is the end of the literature file, prose like most of the training text.
    assertTrue(TEXT.substring(cut).contains("\t\t-- "), "the tail holds attributed quotations");
  }

  @Test
  void theLicenceAndTheReadmeAreBesideTheText() throws IOException {
    String copyright = resource("COPYRIGHT");
    assertTrue(copyright.contains("Copyright (c) 1991 The Regents of the University of California."),
        "Debian's copyright file with the BSD notice");
    assertTrue(copyright.contains("THIS SOFTWARE IS PROVIDED BY THE REGENTS AND CONTRIBUTORS"));
    String readme = resource("README.md");
    assertTrue(readme.contains("apt-get download fortunes-min"), "the README says how");
    assertTrue(readme.contains(String.format("%,d bytes", TEXT.length())),
        "the README states the size of the text it describes");
  }
}
