package dev.annonet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFile#write}: the bytes, no leftovers, and the permissions. */
class AtomicFileTest {

  @Test
  void aNewFileGetsTheUmasksPermissionsLikeAnyNewFile(@TempDir Path dir) throws IOException {
    assumePosix(dir);
    Path plain = Files.write(dir.resolve("plain.bin"), new byte[] {1});
    Path model = dir.resolve("model.safetensors");
    AtomicFile.write(new byte[] {1, 2, 3}, model);
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(model));
    assertEquals(
        PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
        PosixFilePermissions.toString(Files.getPosixFilePermissions(model)));
  }

  @Test
  void aReplacedFileKeepsItsPermissions(@TempDir Path dir) throws IOException {
    assumePosix(dir);
    Path model = dir.resolve("model.safetensors");
    Files.write(model, new byte[] {9});
    Set<PosixFilePermission> chosen = PosixFilePermissions.fromString("rw-r-----");
    Files.setPosixFilePermissions(model, chosen);
    AtomicFile.write(new byte[] {4, 5}, model);
    assertArrayEquals(new byte[] {4, 5}, Files.readAllBytes(model));
    assertEquals(chosen, Files.getPosixFilePermissions(model));
  }

  @Test
  void leavesNoTemporaryFileBehind(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("sub").resolve("model.safetensors");
    for (int i = 0; i < 3; i++) {
      AtomicFile.write(new byte[] {(byte) i}, model);
    }
    try (Stream<Path> files = Files.list(model.getParent())) {
      assertEquals(List.of(model), files.toList());
    }
  }

  private static void assumePosix(Path dir) {
    assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null,
        "POSIX permissions only: this file system has none");
  }
}
