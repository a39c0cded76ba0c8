package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A 32-byte SHA-256 hash as Bitcoin uses it for block hashes, txids and merkle roots.
 *
 * <p>The bytes are kept in internal order, the order SHA-256 produces them and the wire carries
 * them. People and Core's RPC show hashes byte-reversed (so a block hash starts with its zeros):
 * {@link #fromHex} and {@link #toString} use that display order.
 */
public final class Sha256Hash {

  public static final int LENGTH = 32;

  public static final Sha256Hash ZERO = new Sha256Hash(new byte[LENGTH]);

  /** How much of a {@link Buffer} is copied at a time to feed the digest, instead of all of it. */
  private static final int HASH_CHUNK = 8192;

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private Sha256Hash(byte[] bytes) {
    this.bytes = bytes;
  }

  /** @param internalOrderBytes 32 bytes in wire order; copied */
  public static Sha256Hash of(byte[] internalOrderBytes) {
    Objects.requireNonNull(internalOrderBytes, "internalOrderBytes");
    return wrap(internalOrderBytes.clone());
  }

  /** As {@link #of} but takes {@code internalOrderBytes} as it is: for the decoder, whose fresh array nobody else holds. */
  static Sha256Hash wrap(byte[] internalOrderBytes) {
    if (internalOrderBytes.length != LENGTH) {
      throw new IllegalArgumentException("a SHA-256 hash has 32 bytes, got " + internalOrderBytes.length);
    }
    return new Sha256Hash(internalOrderBytes);
  }

  /** @param displayHex 64 hex digits in display order, as Core's RPC and block explorers show them */
  public static Sha256Hash fromHex(String displayHex) {
    Objects.requireNonNull(displayHex, "displayHex");
    if (displayHex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException("a SHA-256 hash is 64 hex digits, got " + displayHex.length());
    }
    return new Sha256Hash(reversed(HEX.parseHex(displayHex)));
  }

  /** SHA-256 of SHA-256 of {@code data}: Bitcoin's block, transaction and checksum hash. */
  public static Sha256Hash hashTwice(byte[] data) {
    MessageDigest digest = newSha256();
    digest.update(data);
    return new Sha256Hash(digest.digest(digest.digest()));
  }

  /** SHA-256d of a whole buffer. */
  public static Sha256Hash hashTwice(Buffer data) {
    return hashTwice(data, 0, data.length());
  }

  /** SHA-256d of {@code data[from, to)}, read in small pieces so a 4 MB block is never copied whole. */
  static Sha256Hash hashTwice(Buffer data, int from, int to) {
    MessageDigest digest = newSha256();
    byte[] chunk = new byte[Math.min(HASH_CHUNK, to - from)];
    for (int position = from; position < to; position += chunk.length) {
      int length = Math.min(chunk.length, to - position);
      data.getBytes(position, position + length, chunk, 0);
      digest.update(chunk, 0, length);
    }
    return new Sha256Hash(digest.digest(digest.digest()));
  }

  /** The 32 bytes in internal (wire) order; a copy. */
  public byte[] bytes() {
    return bytes.clone();
  }

  void writeTo(PayloadWriter out) {
    out.bytes(bytes);
  }

  /** The first 4 bytes in internal order as a big-endian int: how a frame header carries a checksum. */
  int firstFourBytes() {
    return (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | bytes[3] & 0xFF;
  }

  /** Display order hex, byte-reversed like Core's RPC. */
  @Override
  public String toString() {
    return HEX.formatHex(reversed(bytes));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Sha256Hash hash && Arrays.equals(bytes, hash.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  private static byte[] reversed(byte[] bytes) {
    byte[] reversed = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      reversed[i] = bytes[bytes.length - 1 - i];
    }
    return reversed;
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
