package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import org.peermesh.bitcoin.wire.BitcoinWireException.Reason;

/**
 * Bitcoin's variable-length unsigned integer ("CompactSize", "var_int"): one byte below 0xfd,
 * else a marker byte 0xfd, 0xfe or 0xff and a little-endian u16, u32 or u64.
 *
 * <p>Like Core, reading refuses a value written longer than needed: each value then has exactly one
 * encoding, so a payload re-encodes to the bytes it came from and its hash cannot be malleated.
 * Values are u64 held bit for bit in a Java long.
 */
public final class CompactSize {

  private static final int MARKER_U16 = 0xfd;
  private static final int MARKER_U32 = 0xfe;
  private static final int MARKER_U64 = 0xff;

  private CompactSize() {
  }

  /** Bytes that {@link #write} uses for {@code value} (unsigned). */
  public static int encodedLength(long value) {
    if (Long.compareUnsigned(value, MARKER_U16) < 0) {
      return 1;
    } else if (Long.compareUnsigned(value, 0xFFFF) <= 0) {
      return 3;
    } else if (Long.compareUnsigned(value, 0xFFFF_FFFFL) <= 0) {
      return 5;
    }
    return 9;
  }

  /** Appends the shortest encoding of {@code value} (unsigned). */
  public static void write(Buffer out, long value) {
    switch (encodedLength(value)) {
      case 1 -> out.appendByte((byte) value);
      case 3 -> out.appendByte((byte) MARKER_U16).appendUnsignedShortLE((int) value);
      case 5 -> out.appendByte((byte) MARKER_U32).appendUnsignedIntLE(value);
      default -> out.appendByte((byte) MARKER_U64).appendLongLE(value);
    }
  }

  /**
   * Reads the value at {@code offset}; it occupies {@link #encodedLength} of itself bytes.
   *
   * @throws BitcoinWireException TRUNCATED if the buffer ends inside it, INVALID_FIELD if it is not
   *     in its shortest form
   */
  public static long read(Buffer in, int offset) {
    return read(in, offset, "CompactSize at offset " + offset);
  }

  /** @param where names the field for error messages */
  static long read(Buffer in, int offset, String where) {
    require(in, offset, 1, where);
    int marker = in.getUnsignedByte(offset);
    long value;
    long smallest;
    switch (marker) {
      case MARKER_U16 -> {
        require(in, offset, 3, where);
        value = in.getUnsignedShortLE(offset + 1);
        smallest = MARKER_U16;
      }
      case MARKER_U32 -> {
        require(in, offset, 5, where);
        value = in.getUnsignedIntLE(offset + 1);
        smallest = 0x1_0000;
      }
      case MARKER_U64 -> {
        require(in, offset, 9, where);
        value = in.getLongLE(offset + 1);
        smallest = 0x1_0000_0000L;
      }
      default -> {
        return marker;
      }
    }
    if (Long.compareUnsigned(value, smallest) < 0) {
      throw new BitcoinWireException(Reason.INVALID_FIELD,
          where + ": non-canonical CompactSize, " + Long.toUnsignedString(value) + " after marker 0x"
              + Integer.toHexString(marker));
    }
    return value;
  }

  private static void require(Buffer in, int offset, int length, String where) {
    if (in.length() - offset < length) {
      throw new BitcoinWireException(Reason.TRUNCATED,
          where + " needs " + length + " bytes, " + (in.length() - offset) + " remain");
    }
  }
}
