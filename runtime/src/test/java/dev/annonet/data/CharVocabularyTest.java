package dev.annonet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The character vocabulary: sorted distinct chars as ids, round trips, and named errors. */
class CharVocabularyTest {
  private static final String TEXT = "Hello, world!\n\tA tab, a newline; ZZZ zzz 42.";

  @Test
  void idsAreTheDistinctCharactersInAscendingOrder() {
    CharVocabulary vocab = CharVocabulary.of(TEXT);
    TreeSet<Character> distinct = new TreeSet<>();
    for (char c : TEXT.toCharArray()) {
      distinct.add(c);
    }
    assertEquals(distinct.size(), vocab.size());
    int id = 0;
    for (char c : distinct) {
      assertEquals(id, vocab.id(c), "id of " + c);
      assertEquals(c, vocab.charOf(id));
      assertEquals(c, vocab.chars().charAt(id));
      id++;
    }
  }

  @Test
  void theSameCharactersInAnyOrderGiveTheSameIds() {
    String reversed = new StringBuilder(TEXT).reverse().toString();
    assertEquals(CharVocabulary.of(TEXT), CharVocabulary.of(reversed));
    assertEquals(CharVocabulary.of(TEXT).chars(), CharVocabulary.of(TEXT + TEXT).chars());
  }

  @Test
  void encodeThenDecodeGivesTheTextBack() {
    CharVocabulary vocab = CharVocabulary.of(TEXT);
    int[] ids = vocab.encode(TEXT);
    assertEquals(TEXT.length(), ids.length);
    for (int i = 0; i < ids.length; i++) {
      assertEquals(TEXT.charAt(i), vocab.charOf(ids[i]), "position " + i);
    }
    assertEquals(TEXT, vocab.decode(ids));
    assertEquals(TEXT.substring(3, 9), vocab.decode(ids, 3, 9));
  }

  @Test
  void charactersBeyondAsciiAndSurrogatePairsRoundTrip() {
    String text = "na\u00efve caf\u00e9 \ud83d\ude00 \u4e2d";
    CharVocabulary vocab = CharVocabulary.of(text);
    assertEquals(text, vocab.decode(vocab.encode(text)));
    assertEquals(text.chars().distinct().count(), vocab.size());
  }

  @Test
  void aSavedVocabularyIsRebuiltFromItsChars() {
    CharVocabulary vocab = CharVocabulary.of(TEXT);
    CharVocabulary again = CharVocabulary.fromChars(vocab.chars());
    assertEquals(vocab, again);
    assertArrayEquals(vocab.encode(TEXT), again.encode(TEXT));
    // Unsorted characters keep their order as ids.
    CharVocabulary custom = CharVocabulary.fromChars("zab");
    assertArrayEquals(new int[] {1, 2, 0}, custom.encode("abz"));
  }

  @Test
  void aCharacterOutsideTheVocabularyIsNamedWithItsPosition() {
    CharVocabulary vocab = CharVocabulary.of("abc \n");
    assertFalse(vocab.contains('d'));
    assertTrue(vocab.contains('\n'));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> vocab.encode("abc d"));
    assertEquals("character 'd' at position 4 of the text is not in the vocabulary of 5 "
        + "characters: build the vocabulary from a text that contains it (the training text plus"
        + " any prompt), or replace the character before encoding", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> vocab.encode("ab\tc"));
    assertTrue(e.getMessage().startsWith("character U+0009 '\\t' at position 2 "), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> vocab.encode("cab\u00e9"));
    assertTrue(e.getMessage().startsWith("character U+00E9 '\u00e9' at position 3 "),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> vocab.id('\u0007'));
    assertTrue(e.getMessage().startsWith("character U+0007 is not in the vocabulary of 5 "),
        e.getMessage());
  }

  @Test
  void anIdOutsideTheVocabularyIsNamedWithItsPosition() {
    CharVocabulary vocab = CharVocabulary.of("abc");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> vocab.decode(new int[] {0, 1, 3}));
    assertEquals("token id 3 at position 2 is outside the vocabulary [0, 3): decode ids with "
        + "the vocabulary that encoded them", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> vocab.decode(new int[] {-1}));
    assertThrows(IllegalArgumentException.class, () -> vocab.charOf(3));
    assertThrows(IndexOutOfBoundsException.class, () -> vocab.decode(new int[] {0, 1}, 1, 3));
  }

  @Test
  void emptyTextAndRepeatedCharactersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> CharVocabulary.of(""));
    assertThrows(IllegalArgumentException.class, () -> CharVocabulary.fromChars(""));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CharVocabulary.fromChars("abca"));
    assertEquals("the vocabulary lists character 'a' twice, at ids 0 and 3: give each "
        + "character once", e.getMessage());
  }
}
