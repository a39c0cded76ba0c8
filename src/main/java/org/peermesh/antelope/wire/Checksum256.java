package org.peermesh.antelope.wire;

import java.util.Arrays;
import java.util.HexFormat;
import org.peermesh.crypto.Secp256k1;

/**
 * fc's {@code checksum256_type} (sha256): 32 bytes, as chain ids, node ids, block ids, transaction ids and tokens
 * are. Written as lowercase hex, the bytes in wire order.
 */
public final class Checksum256 {

  public static final int LENGTH = 32;
  public static final Checksum256 ZERO = new Checksum256(new byte[LENGTH]);
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private Checksum256(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}, which must be 32 long. */
  public static Checksum256 of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a checksum256 has " + LENGTH + " bytes, not " + bytes.length);
    }
    return new Checksum256(bytes.clone());
  }

  /** The checksum written as 64 hex digits, either case. */
  public static Checksum256 fromHex(String hex) {
    if (hex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException("a checksum256 is " + 2 * LENGTH + " hex digits, not " + hex.length());
    }
    return new Checksum256(HEX.parseHex(hex));
  }

  /** SHA-256 of the concatenation of {@code parts}. */
  public static Checksum256 sha256(byte[]... parts) {
    return new Checksum256(Secp256k1.sha256(parts));
  }

  /** A copy of the 32 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public String toHex() {
    return HEX.formatHex(bytes);
  }

  public boolean isZero() {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The block number a block id carries: its first 4 bytes, big-endian, unsigned. A block id is the hash of its
   * header with those bytes replaced by the number, so ids sort and locate by height.
   */
  public long blockNumOfId() {
    return ((bytes[0] & 0xFFL) << 24) | ((bytes[1] & 0xFFL) << 16) | ((bytes[2] & 0xFFL) << 8) | (bytes[3] & 0xFFL);
  }

  /** This checksum with its first 4 bytes replaced by {@code blockNum} big-endian: how a block id is formed. */
  Checksum256 withBlockNum(long blockNum) {
    byte[] id = bytes.clone();
    id[0] = (byte) (blockNum >>> 24);
    id[1] = (byte) (blockNum >>> 16);
    id[2] = (byte) (blockNum >>> 8);
    id[3] = (byte) blockNum;
    return new Checksum256(id);
  }

  /** The bytes without a copy, for the writer. */
  byte[] unsafeBytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checksum256 other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
