package org.peermesh.crypto;

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
 * The node key file: the 32-byte private key as 64 lowercase hex characters and a newline, nothing else.
 *
 * <p>Whoever can read the file can impersonate the node, so like ssh this refuses a key file that group or others
 * can access, and never writes one that they could read even for an instant. Key material never appears in a log
 * line or an exception message.
 */
public final class NodeKeyStore {

  private static final Logger LOG = LoggerFactory.getLogger(NodeKeyStore.class);

  private static final int HEX_LENGTH = 2 * Secp256k1.PRIVATE_KEY_LENGTH;
  private static final int FILE_LENGTH = HEX_LENGTH + 1;
  private static final String EXPECTED_FORMAT = "expected " + HEX_LENGTH + " lowercase hex characters and a newline";
  // Hex is converted by hand between byte arrays, not through HexFormat's Strings, so every copy of the key text
  // can be zeroed after use.
  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private NodeKeyStore() {
  }

  /**
   * Loads the key in {@code file}, or creates {@code file} (and its missing parent directories) holding a fresh key
   * if there is none yet.
   *
   * @throws IllegalStateException if the file exists but {@link #load} refuses it
   * @throws UncheckedIOException if the file cannot be read or written
   */
  public static NodeKey loadOrCreate(Path file) {
    return open(file).key();
  }

  /**
   * {@link #loadOrCreate}, saying whether this call created the file: a node whose start then fails deletes a key
   * it created, so that a failed start leaves no identity behind.
   */
  public static Opened open(Path file) {
    if (Files.exists(file)) {
      return new Opened(load(file), false);
    }
    NodeKey key = NodeKey.generate();
    try {
      create(file, key);
    } catch (FileAlreadyExistsException raced) {
      // Another process created it first, such as another member of the same clustered node: theirs is the key.
      return new Opened(load(file), false);
    }
    LOG.info("Created node key file {} for new peer id {}", file, key.peerId());
    return new Opened(key, true);
  }

  /** A key from {@link #open}, and whether that call created its file. */
  public record Opened(NodeKey key, boolean created) {
  }

  /**
   * Loads the key in {@code file}.
   *
   * @throws IllegalStateException if the file is not a regular file, gives group or others any access (checked
   *     only on file systems with POSIX permissions) or does not hold exactly a valid key in the file format
   * @throws UncheckedIOException if the file cannot be read
   */
  public static NodeKey load(Path file) {
    OwnerOnlyFiles.requireOwnerOnlyRegularFile(file, "node key file");
    byte[] content = read(file);
    byte[] d = null;
    try {
      d = decode(file, content);
      return NodeKey.fromPrivateKey(d);
    } catch (IllegalArgumentException outOfRange) {
      throw new IllegalStateException("node key file " + file + " is malformed: " + outOfRange.getMessage());
    } finally {
      // Best effort (NodeKey's BigInteger cannot be wiped), but these copies need not wait for the GC.
      Arrays.fill(content, (byte) 0);
      if (d != null) {
        Arrays.fill(d, (byte) 0);
      }
    }
  }

  /**
   * Saves {@code key} to {@code file}, which must not exist yet, creating its directory if needed.
   *
   * <p>The key is written and flushed to a temporary file that is created owner-only, then linked into place only if
   * the name is still free (even against another process creating the same file at the same moment), so
   * {@code file} never exists half-written or with wider permissions.
   *
   * @throws IllegalStateException if {@code file} already exists: a node key is an identity, and overwriting one
   *     cannot be undone
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void write(Path file, NodeKey key) {
    try {
      create(file, key);
    } catch (FileAlreadyExistsException exists) {
      throw new IllegalStateException("refusing to overwrite existing node key file " + file);
    }
  }

  private static void create(Path file, NodeKey key) throws FileAlreadyExistsException {
    byte[] content = encode(key);
    try {
      OwnerOnlyFiles.create(file, content);
    } catch (FileAlreadyExistsException exists) {
      throw exists;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write node key file " + file, e);
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  private static byte[] read(Path file) {
    try {
      // The size check first keeps a wrong path (say, a large log file) from being read into memory.
      long size = Files.size(file);
      if (size != FILE_LENGTH) {
        throw malformed(file, EXPECTED_FORMAT + " (" + FILE_LENGTH + " bytes), found " + size + " bytes");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read node key file " + file, e);
    }
  }

  private static byte[] decode(Path file, byte[] content) {
    if (content.length != FILE_LENGTH || content[HEX_LENGTH] != '\n') {
      throw malformed(file, EXPECTED_FORMAT);
    }
    byte[] d = new byte[Secp256k1.PRIVATE_KEY_LENGTH];
    for (int i = 0; i < d.length; i++) {
      int high = hexValue(content[2 * i]);
      int low = hexValue(content[2 * i + 1]);
      if (high < 0 || low < 0) {
        Arrays.fill(d, (byte) 0);
        throw malformed(file, EXPECTED_FORMAT);
      }
      d[i] = (byte) (high << 4 | low);
    }
    return d;
  }

  private static byte[] encode(NodeKey key) {
    byte[] d = key.privateKeyBytes();
    byte[] content = new byte[FILE_LENGTH];
    for (int i = 0; i < d.length; i++) {
      content[2 * i] = HEX_DIGITS[(d[i] >> 4) & 0xf];
      content[2 * i + 1] = HEX_DIGITS[d[i] & 0xf];
    }
    content[HEX_LENGTH] = '\n';
    Arrays.fill(d, (byte) 0);
    return content;
  }

  /** The value of a lowercase hex digit, or -1; upper case is refused because the format has one spelling. */
  private static int hexValue(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  private static IllegalStateException malformed(Path file, String problem) {
    return new IllegalStateException("node key file " + file + " is malformed: " + problem);
  }
}
