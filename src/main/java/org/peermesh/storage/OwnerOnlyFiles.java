package org.peermesh.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes the node's files (its key, peer book and ban list) so that they are never half-written nor readable by
 * anyone but the owner, not even for an instant: the content goes to an owner-only temporary file in the same
 * directory, is flushed to disk, and is renamed into place.
 */
public final class OwnerOnlyFiles {

  public static final Set<PosixFilePermission> OWNER_ONLY =
      Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private static final Set<PosixFilePermission> GROUP_AND_OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private OwnerOnlyFiles() {
  }

  /**
   * Writes {@code content} to {@code file}, creating its directory if needed and replacing the file if it exists.
   * The caller wipes {@code content} if it is secret.
   */
  public static void write(Path file, byte[] content) throws IOException {
    Path temp = writeTemp(file, content);
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Writes {@code content} to {@code file}, which must not exist: the file appears whole, at once, and an existing
   * one (written meanwhile by another process, say) is never replaced.
   *
   * @throws java.nio.file.FileAlreadyExistsException if {@code file} exists
   */
  public static void create(Path file, byte[] content) throws IOException {
    Path temp = writeTemp(file, content);
    try {
      try {
        // A hard link is made atomically and only if the name is free, which a rename does not check.
        Files.createLink(file, temp);
      } catch (UnsupportedOperationException noHardLinks) {
        Files.move(temp, file);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Refuses a secret file (a key) that is not a regular file or that group or others can access at all: whoever can
   * read it can use it, so like ssh this does not use it. Checked only on file systems with POSIX permissions.
   *
   * @param description what the file is, to start the messages with ("node key file")
   * @throws IllegalStateException naming the file and what is wrong with it
   * @throws UncheckedIOException if its attributes cannot be read
   */
  public static void requireOwnerOnlyRegularFile(Path file, String description) {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    PosixFileAttributes attributes;
    try {
      attributes = view.readAttributes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + description + " " + file, e);
    }
    if (!attributes.isRegularFile()) {
      throw new IllegalStateException(description + " " + file + " is not a regular file");
    }
    Set<PosixFilePermission> permissions = attributes.permissions();
    if (permissions.stream().anyMatch(GROUP_AND_OTHERS::contains)) {
      throw new IllegalStateException(description + " " + file + " is accessible by group or others ("
          + PosixFilePermissions.toString(permissions) + "); chmod 600 it");
    }
  }

  /** An owner-only temporary file next to {@code file}, holding {@code content} on disk. */
  private static Path writeTemp(Path file, byte[] content) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    // In the same directory, so that the rename cannot cross file systems and stays atomic.
    Path temp = createTempFile(directory, file.getFileName().toString());
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      // Without this a crash soon after the rename can leave an empty file in place of the old one.
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    return temp;
  }

  private static Path createTempFile(Path directory, String fileName) throws IOException {
    String prefix = "." + fileName + ".";
    try {
      FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
      return Files.createTempFile(directory, prefix, ".tmp", ownerOnly);
    } catch (UnsupportedOperationException noPosixPermissions) {
      return Files.createTempFile(directory, prefix, ".tmp");
    }
  }
}
