package org.peermesh.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The identity of a node as users see it: the first 20 bytes of SHA-256 of its compressed public key,
 * written as 40 lowercase hex characters.
 *
 * <p>Ordering is unsigned byte order, which is also the order of the hex strings.
 */
public final class PeerId implements Comparable<PeerId> {

  public static final int LENGTH = 20;
  public static final int HEX_LENGTH = 2 * LENGTH;

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private PeerId(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The peer id of {@code publicKey}.
   *
   * @throws IllegalArgumentException if {@code publicKey} is not a valid 33-byte compressed secp256k1 key, since an
   *     id for a key nobody can sign with would be an identity that can never be proven
   */
  public static PeerId fromPublicKey(byte[] publicKey) {
    if (!Secp256k1.isValidPublicKey(publicKey)) {
      throw new IllegalArgumentException("not a 33-byte compressed secp256k1 public key");
    }
    return new PeerId(Arrays.copyOf(Secp256k1.sha256(publicKey), LENGTH));
  }

  /**
   * Parses the {@link #toString()} form.
   *
   * @throws IllegalArgumentException unless {@code hex} is exactly 40 lowercase hex characters; only the canonical
   *     spelling is accepted so that an id has one text form wherever it is compared or stored
   */
  public static PeerId parse(String hex) {
    Objects.requireNonNull(hex, "hex");
    if (hex.length() != HEX_LENGTH) {
      throw new IllegalArgumentException(
          "peer id must be " + HEX_LENGTH + " lowercase hex characters, got " + hex.length() + " characters");
    }
    for (int i = 0; i < HEX_LENGTH; i++) {
      char c = hex.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        throw new IllegalArgumentException(
            "peer id must be " + HEX_LENGTH + " lowercase hex characters, found a different character at index " + i);
      }
    }
    return new PeerId(HEX.parseHex(hex));
  }

  /** The 20 id bytes; a copy, so the id stays immutable. */
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public int compareTo(PeerId other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HEX.formatHex(bytes);
  }
}
