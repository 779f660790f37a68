package dev.annonet.data;

import java.util.Arrays;

/**
 * The characters of a text as token ids 0..V-1, for a character-level language model: the
 * distinct characters in ascending order ({@code '\n'} before {@code ' '} before {@code 'A'}
 * before {@code 'a'}), so the same text always gives the same ids, whatever its order.
 *
 * <pre>{@code
 * CharVocabulary vocab = CharVocabulary.of(text);  // V = vocab.size(), for @TokenInput
 * int[] ids = vocab.encode(text);                   // one id per char
 * String back = vocab.decode(ids);                  // equals text
 * }</pre>
 *
 * <p>A character is a Java {@code char}, a UTF-16 code unit: a character outside the Basic
 * Multilingual Plane (an emoji) takes two ids, and the text still round-trips. Keep {@link
 * #chars()} with a trained model: {@link #fromChars} rebuilds the same ids when sampling later.
 * Immutable and thread-safe.
 */
public final class CharVocabulary {
  private final char[] chars;
  /** {@code ids[c]} is the id of char {@code c}, or -1; covers chars 0 .. the largest one. */
  private final int[] ids;

  private CharVocabulary(char[] chars) {
    this.chars = chars;
    int top = 0;
    for (char c : chars) {
      top = Math.max(top, c);
    }
    ids = new int[top + 1];
    Arrays.fill(ids, -1);
    for (int i = 0; i < chars.length; i++) {
      if (ids[chars[i]] >= 0) {
        throw new IllegalArgumentException("the vocabulary lists " + describe(chars[i])
            + " twice, at ids " + ids[chars[i]] + " and " + i + ": give each character once");
      }
      ids[chars[i]] = i;
    }
  }

  /** The distinct characters of {@code text}, in ascending order, as ids 0, 1, 2, ... */
  public static CharVocabulary of(CharSequence text) {
    if (text.length() == 0) {
      throw new IllegalArgumentException("the text is empty: a vocabulary needs at least one "
          + "character");
    }
    boolean[] seen = new boolean[Character.MAX_VALUE + 1];
    int distinct = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!seen[c]) {
        seen[c] = true;
        distinct++;
      }
    }
    char[] chars = new char[distinct];
    int n = 0;
    for (int c = 0; c < seen.length; c++) {
      if (seen[c]) {
        chars[n++] = (char) c;
      }
    }
    return new CharVocabulary(chars);
  }

  /**
   * The vocabulary whose id {@code i} is {@code chars.charAt(i)}, as {@link #chars()} of a
   * saved vocabulary returns it; the characters need not be sorted but must be distinct.
   */
  public static CharVocabulary fromChars(String chars) {
    if (chars.isEmpty()) {
      throw new IllegalArgumentException("no characters given: a vocabulary needs at least one");
    }
    return new CharVocabulary(chars.toCharArray());
  }

  /** Number of characters, V: ids run from 0 to V - 1 ({@code @TokenInput(vocabulary = V)}). */
  public int size() {
    return chars.length;
  }

  /** All characters in id order: {@code chars().charAt(id)} is the character of {@code id}. */
  public String chars() {
    return new String(chars);
  }

  /** Whether {@code c} has an id. */
  public boolean contains(char c) {
    return c < ids.length && ids[c] >= 0;
  }

  /**
   * The id of {@code c}.
   *
   * @throws IllegalArgumentException if {@code c} is not in the vocabulary
   */
  public int id(char c) {
    if (!contains(c)) {
      throw new IllegalArgumentException(describe(c) + " is not in the vocabulary of "
          + chars.length + " characters: " + fix());
    }
    return ids[c];
  }

  /**
   * The character of {@code id}.
   *
   * @throws IllegalArgumentException if {@code id} is not in {@code [0, size())}
   */
  public char charOf(int id) {
    if (id < 0 || id >= chars.length) {
      throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, "
          + chars.length + "): decode ids with the vocabulary that encoded them");
    }
    return chars[id];
  }

  /**
   * One id per char of {@code text}.
   *
   * @throws IllegalArgumentException naming the character and its position if one has no id
   */
  public int[] encode(CharSequence text) {
    int[] out = new int[text.length()];
    for (int i = 0; i < out.length; i++) {
      char c = text.charAt(i);
      if (!contains(c)) {
        throw new IllegalArgumentException(describe(c) + " at position " + i + " of the text "
            + "is not in the vocabulary of " + chars.length + " characters: " + fix());
      }
      out[i] = ids[c];
    }
    return out;
  }

  /**
   * The text of {@code ids}.
   *
   * @throws IllegalArgumentException naming the position if an id is outside {@code [0, size())}
   */
  public String decode(int[] ids) {
    return decode(ids, 0, ids.length);
  }

  /** The text of {@code ids[from..to)}; positions in messages count from 0 in {@code ids}. */
  public String decode(int[] ids, int from, int to) {
    if (from < 0 || to > ids.length || from > to) {
      throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + ids.length
          + " ids");
    }
    char[] out = new char[to - from];
    for (int i = from; i < to; i++) {
      int id = ids[i];
      if (id < 0 || id >= chars.length) {
        throw new IllegalArgumentException("token id " + id + " at position " + i + " is outside"
            + " the vocabulary [0, " + chars.length + "): decode ids with the vocabulary that "
            + "encoded them");
      }
      out[i - from] = chars[id];
    }
    return new String(out);
  }

  private static String fix() {
    return "build the vocabulary from a text that contains it (the training text plus any "
        + "prompt), or replace the character before encoding";
  }

  /** {@code 'a'}, {@code '\n'} or {@code U+00E9 'é'}: visible even when it is white space. */
  static String describe(char c) {
    String shown = switch (c) {
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      default -> Character.isISOControl(c) || Character.isSurrogate(c) ? "" : String.valueOf(c);
    };
    String code = String.format("U+%04X", (int) c);
    return shown.isEmpty() ? "character " + code
        : c >= ' ' && c <= '~' ? "character '" + shown + "'"
        : "character " + code + " '" + shown + "'";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CharVocabulary v && Arrays.equals(chars, v.chars);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(chars);
  }

  @Override
  public String toString() {
    return "CharVocabulary[" + chars.length + " characters]";
  }
}
