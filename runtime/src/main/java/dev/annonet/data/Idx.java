package dev.annonet.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

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
    try (InputStream in = open(images);
        InputStream lab = open(labels)) {
      return read(in, images.toString(), lab, labels.toString());
    }
  }

  /** As {@link #read(Path, Path)}, from streams; {@code source} names them in errors. */
  public static Dataset read(
      InputStream images, String imageSource, InputStream labels, String labelSource)
      throws IOException {
    DataInputStream img = new DataInputStream(new BufferedInputStream(images, 1 << 16));
    DataInputStream lab = new DataInputStream(new BufferedInputStream(labels, 1 << 16));
    int count = header(img, IMAGES, imageSource, "images");
    int rows = img.readInt();
    int columns = img.readInt();
    int labelCount = header(lab, LABELS, labelSource, "labels");
    if (labelCount != count) {
      throw new IOException(
          imageSource + " holds " + count + " images but " + labelSource + " holds " + labelCount
              + " labels: pass the label file that belongs to these images");
    }
    int pixels = rows * columns;
    byte[] raw = readFully(img, (long) count * pixels, imageSource);
    float[] x = new float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      x[i] = (raw[i] & 0xFF) / 255f;
    }
    byte[] rawLabels = readFully(lab, count, labelSource);
    float[] y = new float[count];
    for (int i = 0; i < count; i++) {
      y[i] = rawLabels[i] & 0xFF;
    }
    return Dataset.of(x, pixels, y, 1);
  }

  private static InputStream open(Path path) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(path));
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
  }

  private static int header(DataInputStream in, int magic, String source, String what)
      throws IOException {
    int found = in.readInt();
    if (found != magic) {
      throw new IOException(
          source + " does not start with the IDX " + what + " magic number " + magic + " (found "
              + found + "): is it an IDX " + what + " file?");
    }
    return in.readInt();
  }

  private static byte[] readFully(DataInputStream in, long n, String source) throws IOException {
    if (n > Integer.MAX_VALUE - 8) {
      throw new IOException(source + " is too large to hold in one array: " + n + " bytes");
    }
    byte[] bytes = new byte[(int) n];
    try {
      in.readFully(bytes);
    } catch (EOFException e) {
      throw new IOException(source + " is truncated: expected " + n + " bytes of data", e);
    }
    return bytes;
  }
}
