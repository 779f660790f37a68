package dev.annonet.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Gzip-or-plain input for the readers of this package, and what a damaged gzip stream means. */
final class Gzip {
  private Gzip() {}

  /**
   * {@code raw}, decompressed when it starts with the gzip magic bytes, whatever the file name.
   *
   * @throws IOException naming {@code source} if the gzip header is cut short or damaged (then
   *     {@code raw} is closed)
   */
  static InputStream open(InputStream raw, String source) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 != 0x1f || b1 != 0x8b) {
      return in;
    }
    try {
      return new GZIPInputStream(in, 1 << 16);
    } catch (EOFException | ZipException e) {
      in.close();
      throw new IOException(damaged(source, e), e);
    }
  }

  /** Whether {@code e} is a gzip stream breaking off or failing to decompress. */
  static boolean isDamage(Throwable e) {
    return e instanceof EOFException || e instanceof ZipException;
  }

  /** The message for a gzip stream that breaks off or does not decompress, at {@code where}. */
  static String damaged(String where, Throwable cause) {
    return where + ": the gzip data " + (cause instanceof EOFException ? "ends early" : "is damaged")
        + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")")
        + ": the file is truncated or corrupted; copy or download it again";
  }
}
