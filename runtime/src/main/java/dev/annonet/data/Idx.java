package dev.annonet.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipException;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST (big-endian; images: magic 2051, count, rows,
 * columns, then one unsigned byte per pixel; labels: magic 2049, count, one byte per label),
 * plain or gzip-compressed.
 */
public final class Idx {
  private static final int IMAGES = 0x00000803;
  private static final int LABELS = 0x00000801;

  private Idx() {}

  /**
   * Images and labels as a classification data set: each image a row of {@code rows * columns}
   * pixels scaled from 0..255 to [0, 1] (a {@code [1][rows][columns]} image for
   * {@code @Input({1, rows, columns})}), the label its class index.
   */
  public static Dataset read(Path images, Path labels) throws IOException {
    try (InputStream in = Gzip.open(Files.newInputStream(images), images.toString());
        InputStream lab = Gzip.open(Files.newInputStream(labels), labels.toString())) {
      return read(in, images.toString(), lab, labels.toString());
    }
  }

  /**
   * As {@link #read(Path, Path)}, from streams; {@code source} names them in errors. Every
   * header field is checked before anything is allocated: a file that is empty, cut short,
   * damaged (gzip) or whose counts are negative, zero or too large is refused with an
   * {@link IOException} naming the file.
   */
  public static Dataset read(
      InputStream images, String imageSource, InputStream labels, String labelSource)
      throws IOException {
    Reader img = new Reader(images, imageSource);
    Reader lab = new Reader(labels, labelSource);
    int count = img.header(IMAGES, "images");
    int rows = img.size("row count");
    int columns = img.size("column count");
    int labelCount = lab.header(LABELS, "labels");
    if (labelCount != count) {
      throw new IOException(
          imageSource + " holds " + count + " images but " + labelSource + " holds " + labelCount
              + " labels: pass the label file that belongs to these images");
    }
    long pixels = (long) rows * columns;
    if (pixels > Integer.MAX_VALUE - 8) {
      throw new IOException(imageSource + " is corrupted or not MNIST-like: its images are "
          + rows + "x" + columns + " pixels, more than an array holds");
    }
    byte[] raw = img.bytes((long) count * pixels);
    float[] x = new float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      x[i] = (raw[i] & 0xFF) / 255f;
    }
    img.end(count + " images");
    byte[] rawLabels = lab.bytes(count);
    lab.end(count + " labels");
    float[] y = new float[count];
    for (int i = 0; i < count; i++) {
      y[i] = rawLabels[i] & 0xFF;
    }
    return Dataset.of(x, (int) pixels, y, 1);
  }

  /** One IDX stream: its header fields and data, each read checked, errors naming it. */
  private static final class Reader {
    private final DataInputStream in;
    private final String source;
    private long read;

    Reader(InputStream stream, String source) {
      this.in = new DataInputStream(new BufferedInputStream(stream, 1 << 16));
      this.source = source;
    }

    /** The magic number, checked, then the item count (at least 1). */
    int header(int magic, String what) throws IOException {
      int found = readInt("magic number");
      if (found != magic) {
        throw new IOException(
            source + " does not start with the IDX " + what + " magic number " + magic
                + " (found " + found + "): is it an IDX " + what + " file?");
      }
      int count = readInt(what + " count");
      if (count < 1) {
        throw new IOException(source + (count == 0 ? " holds no " + what
            : " is corrupted: its header gives " + count + " " + what)
            + "; an IDX file holds at least one");
      }
      return count;
    }

    /** A dimension of the header, at least 1. */
    int size(String what) throws IOException {
      int n = readInt(what);
      if (n < 1) {
        throw new IOException(source + " is corrupted: its header gives the " + what + " as " + n
            + "; images have at least one row and one column");
      }
      return n;
    }

    private int readInt(String what) throws IOException {
      try {
        int v = in.readInt();
        read += 4;
        return v;
      } catch (EOFException e) {
        throw new IOException(source + " is truncated: it ends after " + read + " bytes, inside"
            + " its header (at the " + what + ")", e);
      } catch (ZipException e) {
        throw new IOException(Gzip.damaged(source, e), e);
      }
    }

    /**
     * Checks that the data ends where the header says; reading to the end also checks a gzip
     * stream's trailer (its CRC and length).
     */
    void end(String what) throws IOException {
      int next;
      try {
        next = in.read();
      } catch (EOFException | ZipException e) {
        throw new IOException(Gzip.damaged(source, e), e);
      }
      if (next != -1) {
        throw new IOException(source + " holds more data than its header's " + what
            + ": is it a complete IDX file of its own?");
      }
    }

    byte[] bytes(long n) throws IOException {
      if (n > Integer.MAX_VALUE - 8) {
        throw new IOException(source + " is too large to hold in one array: " + n + " bytes");
      }
      // Grown as the data arrives, so that a corrupted count does not allocate gigabytes
      // before the stream turns out to be short.
      byte[] bytes = new byte[(int) Math.min(n, 1 << 20)];
      int filled = 0;
      try {
        while (filled < n) {
          if (filled == bytes.length) {
            bytes = java.util.Arrays.copyOf(bytes, (int) Math.min(n, 2L * bytes.length));
          }
          in.readFully(bytes, filled, bytes.length - filled);
          filled = bytes.length;
        }
      } catch (EOFException e) {
        throw new IOException(source + " is truncated: expected " + n + " bytes of data", e);
      } catch (ZipException e) {
        throw new IOException(Gzip.damaged(source, e), e);
      }
      return bytes;
    }
  }
}
