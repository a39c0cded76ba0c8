package org.peermesh.devp2p.rlpx;

import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Snappy's raw block format, which devp2p p2p v5 (EIP-706) applies to every message payload after Hello. A block
 * starts with its decoded length as a varint; that length is read and checked against the caller's cap before any
 * output is allocated, because a few bytes can declare megabytes (the decoded-length failures Besu, Tuweni,
 * Parity and Nethermind had to fix).
 */
public final class SnappyCodec {

  /** The largest decoded size devp2p allows: a frame's size field is 24 bits. */
  public static final int MAX_DECODED_SIZE = 0xFFFFFF;

  /** A 32-bit varint takes at most 5 bytes, the last holding only the top 4 bits. */
  private static final int MAX_VARINT_BYTES = 5;
  private static final int LAST_VARINT_BYTE_MAX = 0x0F;

  private SnappyCodec() {
  }

  /** {@code input} as one snappy block. */
  public static byte[] compress(byte[] input) {
    try {
      return Snappy.compress(input);
    } catch (IOException e) {
      throw new UncheckedIOException("snappy could not compress " + input.length + " bytes", e);
    }
  }

  /**
   * The decoded bytes of one snappy block.
   *
   * @param maxDecoded the largest decoded length accepted, at most {@link #MAX_DECODED_SIZE}
   * @throws RlpxException {@code snappy_too_large} if the block declares more than {@code maxDecoded} bytes (before
   *     anything is allocated), {@code bad_snappy} for a malformed block
   * @throws IllegalArgumentException if {@code maxDecoded} is negative or over {@link #MAX_DECODED_SIZE}
   */
  public static byte[] decompress(byte[] input, int maxDecoded) {
    if (maxDecoded < 0 || maxDecoded > MAX_DECODED_SIZE) {
      throw new IllegalArgumentException("maxDecoded must be 0 to " + MAX_DECODED_SIZE + ", not " + maxDecoded);
    }
    long declared = declaredLength(input);
    if (declared > maxDecoded) {
      throw new RlpxException("snappy_too_large",
          "snappy block declares " + declared + " decoded bytes, over the limit of " + maxDecoded);
    }
    int length = (int) declared;
    try {
      // The library parses the length itself; both readings must agree before it writes into our array.
      if (Snappy.uncompressedLength(input) != length) {
        throw new RlpxException("bad_snappy", "snappy block length varint read differently by the library");
      }
      byte[] decoded = new byte[length];
      int written = Snappy.uncompress(input, 0, input.length, decoded, 0);
      if (written != length) {
        throw new RlpxException("bad_snappy", "snappy block decoded to " + written + " bytes, declared " + length);
      }
      return decoded;
    } catch (IOException malformed) {
      throw new RlpxException("bad_snappy", "malformed snappy block: " + malformed.getMessage());
    }
  }

  /** The decoded length a block starts with: a little-endian base-128 varint of at most 32 bits. */
  private static long declaredLength(byte[] input) {
    long value = 0;
    for (int i = 0; ; i++) {
      if (i == input.length) {
        throw new RlpxException("bad_snappy", "snappy block ends inside its length varint");
      }
      int b = input[i] & 0xFF;
      if (i == MAX_VARINT_BYTES - 1 && b > LAST_VARINT_BYTE_MAX) {
        throw new RlpxException("bad_snappy", "snappy length varint exceeds 32 bits");
      }
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return value;
      }
    }
  }
}
