package org.peermesh.devp2p.rlp;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An RLP byte string, immutable: the bytes are copied in and out. RLP has no integer type; an integer is its
 * big-endian bytes without leading zeros (zero is the empty string), and the {@code as*} readers refuse any other
 * form, as go-ethereum's decoder does, so each value has exactly one encoding.
 */
public final class RlpString implements RlpItem {

  public static final RlpString EMPTY = new RlpString(new byte[0]);

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private RlpString(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The string holding a copy of {@code bytes}. */
  public static RlpString of(byte[] bytes) {
    return new RlpString(bytes.clone());
  }

  /** {@code value} read as an unsigned 64-bit integer, in minimal big-endian form (0 is the empty string). */
  public static RlpString of(long value) {
    int length = Long.BYTES - Long.numberOfLeadingZeros(value) / Byte.SIZE;
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (value >>> (Byte.SIZE * (length - 1 - i)));
    }
    return new RlpString(bytes);
  }

  /**
   * {@code value} in minimal big-endian form (0 is the empty string).
   *
   * @throws IllegalArgumentException if {@code value} is negative: RLP integers are unsigned
   */
  public static RlpString of(BigInteger value) {
    if (value.signum() < 0) {
      throw new IllegalArgumentException("RLP integers are unsigned, not " + value);
    }
    byte[] twosComplement = value.toByteArray();
    int signByte = twosComplement[0] == 0 ? 1 : 0;
    return new RlpString(Arrays.copyOfRange(twosComplement, signByte, twosComplement.length));
  }

  /** The UTF-8 bytes of {@code text}. */
  public static RlpString of(String text) {
    return new RlpString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  /**
   * The canonical unsigned integer these bytes hold, from 0 to {@link Long#MAX_VALUE} (larger ones, such as a full
   * uint64, through {@link #asBigInteger}).
   *
   * @throws RlpException {@code bad_integer}, naming {@code field}, for a leading zero byte or a value out of range
   */
  public long asLong(String field) {
    BigInteger value = asBigInteger(field);
    if (value.bitLength() >= Long.SIZE) {
      throw new RlpException("bad_integer", field + ": " + value + " is above " + Long.MAX_VALUE);
    }
    return value.longValue();
  }

  /**
   * The canonical unsigned integer these bytes hold, from 0 to {@link Integer#MAX_VALUE}.
   *
   * @throws RlpException {@code bad_integer}, naming {@code field}, for a leading zero byte or a value out of range
   */
  public int asInt(String field) {
    BigInteger value = asBigInteger(field);
    if (value.bitLength() >= Integer.SIZE) {
      throw new RlpException("bad_integer", field + ": " + value + " is above " + Integer.MAX_VALUE);
    }
    return value.intValue();
  }

  /**
   * The canonical unsigned integer these bytes hold, of any size.
   *
   * @throws RlpException {@code bad_integer}, naming {@code field}, for a leading zero byte (0 is the empty string,
   *     not 0x00)
   */
  public BigInteger asBigInteger(String field) {
    if (bytes.length > 0 && bytes[0] == 0) {
      throw new RlpException("bad_integer", field + ": integer 0x" + HEX.formatHex(bytes) + " has a leading zero byte");
    }
    return new BigInteger(1, bytes);
  }

  /**
   * The text these bytes encode in UTF-8.
   *
   * @throws RlpException {@code bad_utf8}, naming {@code field}, for bytes that are not well-formed UTF-8 (no
   *     replacement characters are made up)
   */
  public String asString(String field) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new RlpException("bad_utf8", field + ": " + length() + " bytes that are not UTF-8");
    }
  }

  @Override
  public RlpString string(String field) {
    return this;
  }

  @Override
  public RlpList list(String field) {
    throw new RlpException("not_a_list", field + ": a list expected, a string of " + length() + " bytes found");
  }

  /** Reads the bytes into {@code out} from {@code offset}, without a copy of their own. */
  void copyTo(byte[] out, int offset) {
    System.arraycopy(bytes, 0, out, offset, bytes.length);
  }

  /** The first byte, which decides whether a one-byte string encodes as itself. */
  int firstByte() {
    return bytes[0] & 0xFF;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RlpString that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The bytes in hex, {@code 0x} first (an empty string is {@code 0x}). */
  @Override
  public String toString() {
    return "0x" + HEX.formatHex(bytes);
  }

  static RlpString wrap(byte[] bytes) {
    return new RlpString(Objects.requireNonNull(bytes));
  }
}
