package dev.annonet.processor.shapes;

import java.util.List;

/** Suggests the nearest layer name for a misspelt one. */
final class Names {
  private Names() {}

  /** The name in {@code names} closest to {@code wrong}, or null if none is close. */
  static String nearest(String wrong, List<String> names) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String name : names) {
      int d = distance(wrong.toLowerCase(), name.toLowerCase());
      if (d < bestDistance) {
        bestDistance = d;
        best = name;
      }
    }
    return best != null && bestDistance <= Math.max(2, wrong.length() / 2) ? best : null;
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
