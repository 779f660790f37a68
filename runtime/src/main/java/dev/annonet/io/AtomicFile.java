package dev.annonet.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replacing a file so that a crash leaves the old one or the new one, never a mix: how model
 * files, checkpoints and plots are written.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /**
   * Writes {@code bytes} to a temporary file beside {@code path}, forces it to disk and renames
   * it over {@code path}, then forces the directory entry to disk where the platform allows: a
   * crash leaves either the old file or the new one, never a mix.
   *
   * <p>The file gets the permissions a file created in place would get: a new file those of the
   * process's umask (usually readable by everyone, as {@code echo > file} makes it), a replaced
   * file keeps the permissions it had, so a model written for a serving process stays readable
   * by it. (A temporary file from {@link Files#createTempFile} would be private, mode 0600.)
   */
  public static void write(byte[] bytes, Path path) throws IOException {
    Path target = path.toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path tmp = createSibling(target);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream os = Channels.newOutputStream(ch)) {
        keepPermissions(target, tmp);
        os.write(bytes);
        os.flush();
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Creates an empty, hidden file beside {@code target} with a fresh random name. CREATE_NEW
   * without attributes gives it mode 0666 less the umask, as for any new file.
   */
  private static Path createSibling(Path target) throws IOException {
    while (true) {
      Path tmp = target.resolveSibling("." + target.getFileName() + "."
          + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
      try {
        FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return tmp;
      } catch (FileAlreadyExistsException taken) {
        // Another writer's name: draw again.
      }
    }
  }

  /** Gives {@code tmp} the POSIX permissions of an existing {@code target}; else leaves them. */
  private static void keepPermissions(Path target, Path tmp) throws IOException {
    PosixFileAttributeView existing =
        Files.getFileAttributeView(target, PosixFileAttributeView.class);
    if (existing == null || !Files.isRegularFile(target)) {
      return;
    }
    try {
      Files.setPosixFilePermissions(tmp, existing.readAttributes().permissions());
    } catch (NoSuchFileException gone) {
      // Deleted meanwhile: the new file keeps the umask's permissions.
    }
  }

  /** Makes a rename in {@code dir} durable (POSIX); a no-op where directories cannot be opened. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory as a channel; its rename is already durable enough.
    }
  }
}
