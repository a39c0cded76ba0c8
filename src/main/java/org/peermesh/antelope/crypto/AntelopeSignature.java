package org.peermesh.antelope.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * An Antelope signature as the wire carries it: its type and 65 bytes, for K1 {@code v || r || s} with
 * {@code v = 27 + 4 + recid}. Written {@code SIG_K1_...}. An all-zero signature is what an unsigned handshake
 * carries.
 */
public final class AntelopeSignature {

  public static final int LENGTH = 65;
  /** What a handshake without a signature carries. */
  public static final AntelopeSignature ZERO_K1 = new AntelopeSignature(KeyType.K1, new byte[LENGTH]);
  private static final String PREFIX = "SIG";

  private final KeyType type;
  private final byte[] data;

  public AntelopeSignature(KeyType type, byte[] data) {
    this.type = Objects.requireNonNull(type, "type");
    if (data.length != LENGTH) {
      throw new IllegalArgumentException("a signature has " + LENGTH + " bytes, not " + data.length);
    }
    this.data = data.clone();
  }

  /**
   * The signature written as {@code SIG_K1_...} or {@code SIG_R1_...}.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static AntelopeSignature parse(String text) {
    KeyText.Typed typed = KeyText.decodeTyped(text, PREFIX, LENGTH, "signature");
    return new AntelopeSignature(typed.type(), typed.data());
  }

  public KeyType type() {
    return type;
  }

  /** A copy of the signature's 65 bytes. */
  public byte[] data() {
    return data.clone();
  }

  public boolean isZero() {
    return KeyText.isZero(data);
  }

  @Override
  public String toString() {
    return KeyText.encode(PREFIX, type, data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AntelopeSignature other && type == other.type && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + Arrays.hashCode(data);
  }
}
