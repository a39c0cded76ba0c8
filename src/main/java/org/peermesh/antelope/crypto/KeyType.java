package org.peermesh.antelope.crypto;

/**
 * Antelope's key types, by their index on the wire (fc's static_variant of public keys and signatures). K1 is
 * secp256k1, R1 secp256r1, WA WebAuthn; every key of a P2P handshake is K1 in practice.
 */
public enum KeyType {
  K1, R1, WA;

  /** The type of wire index {@code index}. */
  public static KeyType ofIndex(long index) {
    if (index < 0 || index >= values().length) {
      throw new IllegalArgumentException("unknown key type " + index);
    }
    return values()[(int) index];
  }

  public int index() {
    return ordinal();
  }
}
