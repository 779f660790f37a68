package dev.annonet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the CSV reader takes as a number: decimal notation, and nothing Java-specific. */
class CsvNumberTest {
  /** The grammar, written independently of the scanner under test. */
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  @Test
  void acceptsExactlyDecimalNotationOnGeneratedStrings() {
    Random random = new Random(20261203);
    String alphabet = "0123456789.+-eEfFdDxXpP";
    int accepted = 0;
    for (int t = 0; t < 200_000; t++) {
      StringBuilder b = new StringBuilder();
      int length = 1 + random.nextInt(7);
      for (int i = 0; i < length; i++) {
        // Digits are drawn more often, so that a good share of the strings are numbers.
        b.append(random.nextInt(3) == 0
            ? alphabet.charAt(random.nextInt(alphabet.length()))
            : (char) ('0' + random.nextInt(10)));
      }
      String s = b.toString();
      boolean expected = DECIMAL.matcher(s).matches();
      assertEquals(expected, Csv.isDecimal(s), s);
      if (expected && Float.isFinite(Float.parseFloat(s))) {
        accepted++;
        assertEquals(Float.parseFloat(s), readOne(s), s);
      } else {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> readOne(s), s);
        assertTrue(e.getMessage().contains(expected ? "too large for a float" : "is not a number"),
            e.getMessage());
      }
    }
    assertTrue(accepted > 20_000, "the generator should make numbers too, made " + accepted);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2f", "4d", "1.5F", "0x1p3", "1e", "e5", ".", "-", "+.e1", "1..2",
      "1e+", "0x10", "1_000", "١٢"})
  void refusesWhatIsNotADecimalNumber(String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> readOne(field));
    assertEquals("t.csv line 2, column 'a': '" + field + "' is not a number; fields must be "
        + "numbers (encode categories as codes, fill or drop missing values)", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"nan", "NaN", "-inf", "+Infinity", "inf"})
  void namesNaNAndInfinityAsSuch(String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> readOne(field));
    String kind = field.toLowerCase().contains("nan") ? "NaN" : "infinite or too large for a float";
    assertEquals("t.csv line 2, column 'a': " + field + " is " + kind
        + ": clean or drop it before training", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-0", "+3", "2.", ".5", "-1.25e-3", "6.02E+23", "007"})
  void readsDecimalNumbers(String field) {
    assertEquals(Float.parseFloat(field), readOne(field));
  }

  private static float readOne(String field) {
    String csv = "a,y\n" + field + ",1\n";
    try {
      Dataset d = Csv.regression(
          new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "t.csv", null);
      return d.feature(0, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
