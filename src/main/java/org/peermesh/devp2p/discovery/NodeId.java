package org.peermesh.devp2p.discovery;

import org.peermesh.crypto.Keccak256;
import org.peermesh.crypto.Secp256k1;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A devp2p node's identity as discv4 and RLPx carry it: its secp256k1 public key, 64 bytes X || Y (the uncompressed
 * point without SEC1's 0x04 prefix). Kademlia distances are not taken between these keys but between their
 * Keccak-256 hashes ({@link #keccak()}), which spread evenly over the 256-bit space whatever keys an attacker picks.
 *
 * <p>The bytes need not be a point on the curve: a Neighbors packet may carry any 64 bytes, and the one who dials or
 * pings the node finds out ({@link #isValidPublicKey()}).
 */
public final class NodeId {

  public static final int LENGTH = 64;
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] key;
  private final byte[] keccak;

  private NodeId(byte[] key) {
    this.key = key;
    this.keccak = Keccak256.hash(key);
  }

  /**
   * The node id of the 64-byte public key {@code key}; copied.
   *
   * @throws IllegalArgumentException unless {@code key} is 64 bytes
   */
  public static NodeId of(byte[] key) {
    if (key == null || key.length != LENGTH) {
      throw new IllegalArgumentException("a node id is " + LENGTH + " bytes");
    }
    return new NodeId(key.clone());
  }

  /** The node id of the private key {@code privateKey32}, i.e. our own. */
  public static NodeId ofPrivateKey(byte[] privateKey32) {
    return new NodeId(Secp256k1.publicKey64(privateKey32));
  }

  /**
   * The node id written as 128 hex digits, as in an enode URL.
   *
   * @throws IllegalArgumentException unless it is 128 hex digits
   */
  public static NodeId fromHex(String hex) {
    if (hex == null || hex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException("a node id is " + 2 * LENGTH + " hex digits");
    }
    return new NodeId(HEX.parseHex(hex));
  }

  /** The 64 key bytes; a copy. */
  public byte[] bytes() {
    return key.clone();
  }

  /** Keccak-256 of the key: the point in the 256-bit space that Kademlia distances are measured between; a copy. */
  public byte[] keccak() {
    return keccak.clone();
  }

  /** Whether the bytes are a point on secp256k1, i.e. a key that someone can hold the private key of. */
  public boolean isValidPublicKey() {
    return Secp256k1.isValidPublicKey64(key);
  }

  public String hex() {
    return HEX.formatHex(key);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NodeId id && Arrays.equals(key, id.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  /** The first 8 bytes in hex, as geth and Besu log node ids. */
  @Override
  public String toString() {
    return HEX.formatHex(key, 0, 8);
  }
}
