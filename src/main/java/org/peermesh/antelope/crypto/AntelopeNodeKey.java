package org.peermesh.antelope.crypto;

import org.peermesh.storage.OwnerOnlyFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The node's Antelope key file in its data directory: the key as {@code PVT_K1_...} and a newline, nothing else,
 * the form nodeos' {@code peer-private-key} and wharfkit take.
 *
 * <p>It behaves as {@link org.peermesh.crypto.NodeKeyStore} does for the mesh key: created on first start, never
 * readable by group or others even for an instant, refused if they can access it, never overwritten, and the key
 * never appears in a log line or an exception message. Unlike the mesh key's hex, the base58 text goes through
 * Strings, which cannot be wiped; the byte copies are.
 */
public final class AntelopeNodeKey {

  private static final Logger LOG = LoggerFactory.getLogger(AntelopeNodeKey.class);

  private static final String DESCRIPTION = "Antelope node key file";
  private static final String PREFIX = "PVT_K1_";
  /** PVT_K1_, at most 50 base58 characters for the 36 bytes of key and checksum, and the newline. */
  private static final int MAX_FILE_LENGTH = PREFIX.length() + 50 + 1;
  private static final String EXPECTED_FORMAT = "expected " + PREFIX + "... (a K1 private key) and a newline";

  private AntelopeNodeKey() {
  }

  /**
   * Loads the key in {@code file}, or creates {@code file} (and its missing parent directories) holding a fresh key
   * if there is none yet.
   *
   * @throws IllegalStateException if the file is not a regular file, gives group or others any access (checked
   *     only on file systems with POSIX permissions) or does not hold exactly a valid key in the file format
   * @throws UncheckedIOException if the file cannot be read or written
   */
  public static AntelopePrivateKey loadOrCreate(Path file) {
    if (Files.exists(file)) {
      return load(file);
    }
    AntelopePrivateKey key = AntelopePrivateKey.generate();
    byte[] content = (key.toSecretString() + "\n").getBytes(StandardCharsets.US_ASCII);
    try {
      OwnerOnlyFiles.create(file, content);
    } catch (FileAlreadyExistsException raced) {
      // Another process created it first, such as another member of the same clustered node: theirs is the key.
      return load(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + DESCRIPTION + " " + file, e);
    } finally {
      Arrays.fill(content, (byte) 0);
    }
    LOG.info("Created {} {} for public key {}", DESCRIPTION, file, key.publicKey());
    return key;
  }

  private static AntelopePrivateKey load(Path file) {
    OwnerOnlyFiles.requireOwnerOnlyRegularFile(file, DESCRIPTION);
    byte[] content = read(file);
    try {
      int last = content.length - 1;
      if (last < PREFIX.length() || content[last] != '\n') {
        throw malformed(file, EXPECTED_FORMAT);
      }
      String text = new String(content, 0, last, StandardCharsets.US_ASCII);
      if (!text.startsWith(PREFIX)) {
        throw malformed(file, EXPECTED_FORMAT);
      }
      return AntelopePrivateKey.parse(text);
    } catch (IllegalArgumentException invalid) {
      // parse's messages never quote the key.
      throw malformed(file, invalid.getMessage());
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  private static byte[] read(Path file) {
    try {
      // The size check first keeps a wrong path (say, a large log file) from being read into memory.
      long size = Files.size(file);
      if (size > MAX_FILE_LENGTH) {
        throw malformed(file, EXPECTED_FORMAT + " (at most " + MAX_FILE_LENGTH + " bytes), found " + size + " bytes");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DESCRIPTION + " " + file, e);
    }
  }

  private static IllegalStateException malformed(Path file, String problem) {
    return new IllegalStateException(DESCRIPTION + " " + file + " is malformed: " + problem);
  }
}
