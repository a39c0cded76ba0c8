package org.peermesh.antelope.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * An Antelope public key as the wire carries it: its type and its 33-byte compressed point. Written
 * {@code PUB_K1_...}; the legacy {@code EOS...} form of a K1 key is read too. An all-zero key is what an unsigned
 * handshake carries.
 */
public final class AntelopePublicKey {

  public static final int LENGTH = 33;
  /** What a handshake without a key carries. */
  public static final AntelopePublicKey ZERO_K1 = new AntelopePublicKey(KeyType.K1, new byte[LENGTH]);
  private static final String PREFIX = "PUB";
  private static final String LEGACY_PREFIX = "EOS";

  private final KeyType type;
  private final byte[] data;

  public AntelopePublicKey(KeyType type, byte[] data) {
    this.type = Objects.requireNonNull(type, "type");
    if (data.length != LENGTH) {
      throw new IllegalArgumentException("a public key has " + LENGTH + " bytes, not " + data.length);
    }
    this.data = data.clone();
  }

  /**
   * The key written as {@code PUB_K1_...}, {@code PUB_R1_...} or the legacy {@code EOS...}.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static AntelopePublicKey parse(String text) {
    if (text.startsWith(PREFIX + "_")) {
      KeyText.Typed typed = KeyText.decodeTyped(text, PREFIX, LENGTH, "public key");
      return new AntelopePublicKey(typed.type(), typed.data());
    }
    if (text.startsWith(LEGACY_PREFIX)) {
      return new AntelopePublicKey(KeyType.K1, KeyText.decode(text.substring(LEGACY_PREFIX.length()), "", LENGTH));
    }
    throw new IllegalArgumentException("'" + text + "' is not a public key (PUB_K1_... or EOS...)");
  }

  public KeyType type() {
    return type;
  }

  /** A copy of the key's 33 bytes. */
  public byte[] data() {
    return data.clone();
  }

  public boolean isZero() {
    return KeyText.isZero(data);
  }

  /** The legacy form, {@code EOS...}: only K1 keys have one. */
  public String toLegacyString() {
    if (type != KeyType.K1) {
      throw new IllegalStateException(type + " keys have no legacy form");
    }
    return KeyText.encodeLegacy(LEGACY_PREFIX, data);
  }

  @Override
  public String toString() {
    return KeyText.encode(PREFIX, type, data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AntelopePublicKey other && type == other.type && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + Arrays.hashCode(data);
  }
}
