package dev.annonet.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Rows of text printed in aligned columns, two spaces apart; right-aligned where asked. */
final class TextTable {
  private final boolean[] right;
  private final List<String[]> rows = new ArrayList<>();

  /** A table whose column {@code c} is right-aligned when {@code right[c]}. */
  TextTable(boolean... right) {
    this.right = right.clone();
  }

  /** Adds a row of {@code right.length} cells. */
  TextTable add(String... cells) {
    if (cells.length != right.length) {
      throw new IllegalArgumentException(cells.length + " cells for " + right.length
          + " columns");
    }
    rows.add(cells.clone());
    return this;
  }

  /** Prints every row after {@code indent}, without trailing spaces. */
  void print(PrintWriter out, String indent) {
    int[] widths = new int[right.length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int c = 0; c < row.length; c++) {
        String pad = " ".repeat(widths[c] - row[c].length());
        line.append(c == 0 ? "" : "  ").append(right[c] ? pad + row[c] : row[c] + pad);
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
