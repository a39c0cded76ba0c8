package org.peermesh.antelope.crypto;

import org.bouncycastle.crypto.digests.RIPEMD160Digest;
import org.peermesh.crypto.Base58;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Antelope's text form of keys and signatures: {@code <prefix>_<type>_} and the base58 of the bytes followed by the
 * first four bytes of RIPEMD-160(bytes || type name); the legacy {@code EOS} public key without type and with
 * RIPEMD-160 of the bytes alone.
 */
final class KeyText {

  private static final int CHECKSUM_LENGTH = 4;
  /** Longer than any key or signature in base58 (a 65-byte signature and its checksum need 96 characters). */
  private static final int MAX_BASE58_LENGTH = 128;

  private KeyText() {
  }

  /** A key's or signature's type and bytes, read from its text. */
  record Typed(KeyType type, byte[] data) {
  }

  /**
   * The type and bytes of {@code text}, written {@code <prefix>_<type>_<base58>} ({@code PUB_K1_...}).
   *
   * @param what how errors name the text: "public key", "signature"
   * @throws IllegalArgumentException naming what is wrong
   */
  static Typed decodeTyped(String text, String prefix, int length, String what) {
    String start = prefix + "_";
    int end = text.startsWith(start) ? text.indexOf('_', start.length()) : -1;
    if (end < 0) {
      throw new IllegalArgumentException("'" + text + "' is not a " + what + " (" + start + "K1_...)");
    }
    KeyType type = KeyType.valueOf(text.substring(start.length(), end));
    return new Typed(type, decode(text.substring(end + 1), type.name(), length));
  }

  static boolean isZero(byte[] data) {
    for (byte b : data) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  static String encode(String prefix, KeyType type, byte[] data) {
    return prefix + "_" + type.name() + "_" + Base58.encode(withChecksum(data, type.name()));
  }

  static String encodeLegacy(String prefix, byte[] data) {
    return prefix + Base58.encode(withChecksum(data, ""));
  }

  /**
   * The bytes of {@code base58} after checking their checksum with {@code suffix} ("K1", or "" for legacy keys).
   *
   * @throws IllegalArgumentException naming what does not match
   */
  static byte[] decode(String base58, String suffix, int length) {
    byte[] all = Base58.decode(base58, MAX_BASE58_LENGTH);
    if (all.length != length + CHECKSUM_LENGTH) {
      throw new IllegalArgumentException("expected " + length + " bytes and a checksum, found " + all.length
          + " bytes");
    }
    byte[] data = Arrays.copyOf(all, length);
    byte[] expected = checksum(data, suffix);
    if (!Arrays.equals(expected, Arrays.copyOfRange(all, length, all.length))) {
      throw new IllegalArgumentException("checksum does not match");
    }
    return data;
  }

  /** The first four bytes of RIPEMD-160 of {@code data} and {@code suffix}'s ASCII bytes. */
  static byte[] checksum(byte[] data, String suffix) {
    RIPEMD160Digest digest = new RIPEMD160Digest();
    digest.update(data, 0, data.length);
    byte[] tail = suffix.getBytes(StandardCharsets.US_ASCII);
    digest.update(tail, 0, tail.length);
    byte[] out = new byte[digest.getDigestSize()];
    digest.doFinal(out, 0);
    return Arrays.copyOf(out, CHECKSUM_LENGTH);
  }

  private static byte[] withChecksum(byte[] data, String suffix) {
    byte[] all = Arrays.copyOf(data, data.length + CHECKSUM_LENGTH);
    System.arraycopy(checksum(data, suffix), 0, all, data.length, CHECKSUM_LENGTH);
    return all;
  }
}
